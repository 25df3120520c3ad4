import type { OrderView } from '../../domain/contract'
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { MALL_COUPON_TEMPLATES, MALL_PRODUCTS } from '../../emulator/seed-mall'
import { expectInvariants, joinMember, memberDoc, requestId, type TestMember } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, invocations, planCrash } from '../support/functions'
import { sweepNow } from '../support/clock'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()
const console_ = () => callerFor(url, null)
const clerk = () => callerFor(url, DEMO_CLERK_OPENID)
let sequence = 0
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}${++sequence}`

const [pickupDemo, deliveryDemo, couponDemo, cashDemo] = MALL_PRODUCTS

/** A product like one of the demo products, under a fresh id. */
async function addProduct(like: (typeof MALL_PRODUCTS)[number], overrides: Record<string, unknown> = {}): Promise<string> {
  const id = uniqueId('p')
  await db()
    .collection('products')
    .add({ ...like, _id: id, holds: [], ...overrides })
  return id
}

async function addTemplate(overrides: Record<string, unknown> = {}): Promise<string> {
  const id = uniqueId('mt')
  await db()
    .collection('coupon_templates')
    .add({ ...MALL_COUPON_TEMPLATES[0], _id: id, ...overrides })
  return id
}

interface ProductDoc {
  stock: number
  sold: number
  holds: { order: string; attempt: string; quantity: number; at: Date }[]
}
async function productDoc(id: string): Promise<ProductDoc> {
  return (await db().collection('products').doc(id).get()).data[0] as ProductDoc
}

interface OrderDoc {
  _id: string
  status: OrderView['status']
  quantity: number
  points: number
  payBy: Date | null
  abandoned?: boolean
  stockReleasedAt: Date | null
}
async function ordersOf(memberId: string, productId?: string): Promise<OrderDoc[]> {
  const where: Record<string, unknown> = { memberId, kind: 'mall' }
  if (productId) where.productId = productId
  return (await db().collection('orders').where(where).limit(1000).get()).data as OrderDoc[]
}

async function grant(member: TestMember, amounts: { points?: number; balance?: number }): Promise<void> {
  const result = await console_().ok('admin', 'bulkGrant', { batchId: uniqueId('b'), memberIds: [member.memberId], points: amounts.points ?? 0, balance: amounts.balance ?? 0, reason: '测试发放' })
  expect(result.granted).toBe(1)
}

/** The minute timer: its orders sweep closes unpaid orders of every kind (mall ones by the mall's rule), its holds sweep stale holds. */
async function sweep(): Promise<{ ok: boolean; data?: { expiredOrders: number; releasedHolds: number; settledHolds: number } }> {
  const report = await sweepNow(url)
  const count = (outcome: string) => report.count('mall-holds', outcome)
  return {
    ok: report.ok,
    data: { expiredOrders: report.count('orders-unpaid', 'released') + report.count('orders-unpaid', 'markedPaid'), releasedHolds: count('releasedHolds'), settledHolds: count('settledHolds') },
  }
}

/** Moves every mark and deadline of these exchanges far enough into the past for the sweeper. */
async function backdate(productId: string, memberId: string): Promise<void> {
  const past = new Date(Date.now() - 60 * 60_000)
  const product = await productDoc(productId)
  await db()
    .collection('products')
    .doc(productId)
    .update({ holds: product.holds.map((hold) => ({ ...hold, at: past })) })
  const { data } = await db().collection('mall_limits').doc(`${productId}:${memberId}`).get()
  const limit = data[0] as { entries: { order: string; quantity: number; at: Date }[] } | undefined
  if (limit) {
    await db()
      .collection('mall_limits')
      .doc(`${productId}:${memberId}`)
      .update({ entries: limit.entries.map((entry) => ({ ...entry, at: past })) })
  }
  await db().collection('orders').where({ memberId, status: 'created' }).update({ payBy: past })
}

const pickup = { type: 'pickup' as const, storeId: 's-jingan' }

/** Units of the product held by live orders (created, paid, fulfilled). */
function liveUnits(orders: OrderDoc[]): number {
  return orders.filter((order) => ['created', 'paid', 'fulfilled'].includes(order.status)).reduce((sum, order) => sum + order.quantity, 0)
}

describe('the shelf (products, product)', () => {
  test('on-shelf products visible to the tier, pinned first, with categories; a hidden tier’s product is not listed and cannot be exchanged', async () => {
    const pinned = await addProduct(pickupDemo, { pinned: true, points: 900, category: '测试置顶' })
    const cheap = await addProduct(pickupDemo, { pinned: false, points: 10, category: '测试便宜' })
    const off = await addProduct(pickupDemo, { onShelf: false })
    const goldOnly = await addProduct(cashDemo, { visibleTiers: ['gold', 'diamond'], category: '测试金卡' })
    const silver = await joinMember(url)
    const mine = (products: { productId: string }[]) => products.map((product) => product.productId).filter((id) => [pinned, cheap, off, goldOnly].includes(id))

    const shelf = await silver.caller.ok('mall', 'products', {})
    expect(mine(shelf.products)).toEqual([pinned, cheap])
    expect(shelf.products[0].pinned).toBe(true)
    expect(shelf.categories).toEqual(expect.arrayContaining(['测试置顶', '测试便宜']))
    expect(shelf.categories).not.toContain('测试金卡')
    expect(mine((await silver.caller.ok('mall', 'products', { category: '测试便宜' })).products)).toEqual([cheap])

    expect(await silver.caller.call('mall', 'product', { productId: goldOnly })).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    expect(await silver.caller.call('mall', 'product', { productId: off })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await grant(silver, { points: 5000, balance: 100000 })
    const refused = await silver.caller.call('mall', 'exchange', { productId: goldOnly, quantity: 1, fulfilment: pickup, payMethod: 'balance', requestId: requestId() })
    expect(refused).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    expect(await productDoc(goldOnly)).toMatchObject({ stock: cashDemo.stock, sold: 0 })
    expect(await ordersOf(silver.memberId)).toEqual([])

    const gold = await joinMember(url)
    await db().collection('members').doc(gold.memberId).update({ tierId: 'gold' })
    expect(mine((await gold.caller.ok('mall', 'products', {})).products)).toEqual([pinned, cheap, goldOnly])
    expect((await gold.caller.ok('mall', 'product', { productId: goldOnly })).product).toMatchObject({ productId: goldOnly, points: 800, amount: 4900, perMemberLimit: 1 })
    await expectInvariants(url, silver.memberId)
  })

  test('each product says how it can be fulfilled, as its document says; coupon products need none; an exchange outside them is refused', async () => {
    const pickupOnly = await addProduct(pickupDemo, { fulfilment: ['pickup'] })
    const deliveryOnly = await addProduct(pickupDemo, { fulfilment: ['delivery'] })
    const both = await addProduct(deliveryDemo, { fulfilment: ['delivery', 'pickup'] })
    const coupon = await addProduct(couponDemo)
    const member = await joinMember(url)
    const fulfilmentOf = async (productId: string) => (await member.caller.ok('mall', 'product', { productId })).product.fulfilment
    expect(await fulfilmentOf(pickupOnly)).toEqual(['pickup'])
    expect(await fulfilmentOf(deliveryOnly)).toEqual(['delivery'])
    expect(await fulfilmentOf(both)).toEqual(['delivery', 'pickup'])
    expect(await fulfilmentOf(coupon)).toEqual([])
    const listed = new Map((await member.caller.ok('mall', 'products', {})).products.map((product) => [product.productId, product.fulfilment]))
    expect(listed.get(pickupOnly)).toEqual(['pickup'])
    expect(listed.get(deliveryOnly)).toEqual(['delivery'])

    await grant(member, { points: 5000 })
    const refused = await member.caller.call('mall', 'exchange', { productId: deliveryOnly, quantity: 1, fulfilment: pickup, requestId: requestId() })
    expect(refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await ordersOf(member.memberId, deliveryOnly)).toEqual([])
  })

  test('a bad product document is left off the shelf; asking for it fails without exposing the document', async () => {
    const bad = await addProduct(pickupDemo, { stock: -5 })
    const member = await joinMember(url)
    const { products } = await member.caller.ok('mall', 'products', {})
    expect(products.map((product) => product.productId)).not.toContain(bad)
    expect(await member.caller.call('mall', 'product', { productId: bad })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })
})

describe('exchange for pickup, handover and cancellation', () => {
  test('points and stock are taken exactly; the clerk hands it over with the pickup code → fulfilled and logged; it cannot be cancelled after', async () => {
    const productId = await addProduct(pickupDemo, { points: 40, stock: 10 })
    const member = await joinMember(url)
    const rid = requestId()
    const { order, payment } = await member.caller.ok('mall', 'exchange', { productId, quantity: 2, fulfilment: pickup, requestId: rid })
    expect(payment).toBeNull()
    expect(order).toMatchObject({
      kind: 'mall',
      status: 'paid',
      quantity: 2,
      points: 80,
      amount: 0,
      payMethod: 'points',
      fulfilment: { type: 'pickup', storeId: 's-jingan', storeName: '上海静安嘉里中心店', collectedAt: null },
    })
    expect(order.orderId).toBe(`mall:${member.memberId}:${rid}`)
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 20 })
    expect(await productDoc(productId)).toMatchObject({ stock: 8, sold: 2, holds: [] })

    const { code } = await member.caller.ok('order', 'pickupCode', { orderId: order.orderId })
    // the clerk first sees what to hand over; looking changes nothing
    const slip = await clerk().ok('staff', 'previewPickup', { pickupCode: code })
    expect(slip).toMatchObject({ memberNo: member.memberNo, order: { orderId: order.orderId, title: order.title, quantity: 2, stage: 'pickup', fulfilment: { collectedAt: null } } })
    expect((await clerk().ok('staff', 'previewPickup', { pickupCode: code })).order.status).toBe('paid')
    expect((await db().collection('counter_log').where({ memberId: member.memberId, action: 'collectPickup' }).count()).total).toBe(0)
    // another store's clerk is told where it is picked up
    expect(await callerFor(url, 'o_demo_clerk_zhaolei').call('staff', 'previewPickup', { pickupCode: code })).toMatchObject({
      ok: false,
      error: { reason: 'PICKUP_OTHER_STORE', message: '该订单需在 上海静安嘉里中心店 提货' },
    })
    const handed = await clerk().ok('staff', 'collectPickup', { pickupCode: code, requestId: requestId() })
    expect(handed.memberNo).toBe(member.memberNo)
    expect(handed.order.status).toBe('fulfilled')
    expect(handed.order.fulfilment).toMatchObject({ type: 'pickup', collectedAt: expect.any(String) })
    expect(handed.order.transitions.map((step) => [step.from, step.to])).toEqual([
      [null, 'created'],
      ['created', 'paid'],
      ['paid', 'fulfilled'],
    ])
    // handed over: looking at the code again says so
    expect(await clerk().call('staff', 'previewPickup', { pickupCode: code })).toMatchObject({ ok: false, error: { reason: 'ALREADY_PICKED_UP' } })
    expect(await member.caller.call('order', 'cancel', { orderId: order.orderId, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await productDoc(productId)).toMatchObject({ stock: 8, sold: 2 })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 20 })
    await expectInvariants(url, member.memberId)
  })

  test('cancelling a paid pickup order before collection gives points and stock back once, however often or concurrently it is asked; the limit is free again', async () => {
    const productId = await addProduct(pickupDemo, { points: 30, stock: 5, perMemberLimit: 1 })
    const member = await joinMember(url)
    const { order } = await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 70 })
    expect(await member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', reason: 'LIMIT_REACHED' },
    })

    const answers = await Promise.all(Array.from({ length: 6 }, () => member.caller.call('order', 'cancel', { orderId: order.orderId, requestId: requestId() })))
    expect(answers.every((answer) => answer.ok && answer.data.order.status === 'refunded')).toBe(true)
    const again = await member.caller.ok('order', 'cancel', { orderId: order.orderId, requestId: requestId() })
    expect(again.order.status).toBe('refunded')
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100 })
    expect(await productDoc(productId)).toMatchObject({ stock: 5, sold: 0 })
    const { total: refunds } = await db().collection('ledger').where({ memberId: member.memberId, kind: 'order-refund' }).count()
    expect(refunds).toBe(1)
    await expectInvariants(url, member.memberId)

    // the refunded order no longer counts against the limit of 1
    const second = await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })
    expect(second.order.status).toBe('paid')
    expect(await productDoc(productId)).toMatchObject({ stock: 4, sold: 1 })
    await expectInvariants(url, member.memberId)
  })

  test('bad choices are refused before anything is taken', async () => {
    const productId = await addProduct(pickupDemo, { points: 10, stock: 5 })
    const cash = await addProduct(cashDemo, { visibleTiers: [] })
    const member = await joinMember(url)
    const refuse = (input: Record<string, unknown>) => member.caller.call('mall', 'exchange', { productId, quantity: 1, requestId: requestId(), ...input } as never)
    expect(await refuse({})).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'fulfilment' }] } })
    expect(await refuse({ fulfilment: { type: 'pickup', storeId: 's-nowhere' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await refuse({ fulfilment: { type: 'delivery', addressId: 'a1' } })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await refuse({ fulfilment: pickup, quantity: 3 })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await refuse({ productId: 'p-nothing', fulfilment: pickup })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await refuse({ productId: cash, fulfilment: pickup })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'payMethod' }] } })
    expect(await productDoc(productId)).toMatchObject({ stock: 5, sold: 0, holds: [] })
    expect(await ordersOf(member.memberId)).toEqual([])
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100 })
  })
})

describe('delivery, coupons and cash parts', () => {
  test('a delivery order goes to the member’s address; head office marks it shipped (admin.markShipped) → fulfilled with the tracking number', async () => {
    const productId = await addProduct(deliveryDemo, { points: 60 })
    const member = await joinMember(url)
    const { addresses } = await member.caller.ok('member', 'saveAddress', { name: '林小雨', phone: '13800138000', region: '上海市 静安区', detail: '南京西路 1515 号', isDefault: true })
    const { order } = await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: { type: 'delivery', addressId: addresses[0].id }, requestId: requestId() })
    expect(order).toMatchObject({ status: 'paid', fulfilment: { type: 'delivery', address: '林小雨 13800138000 上海市 静安区 南京西路 1515 号', carrier: null, trackingNo: null, shippedAt: null } })

    const shipped = await console_().ok('admin', 'markShipped', { orderId: order.orderId, carrier: '顺丰', trackingNo: 'SF1234567890' })
    expect(shipped.order).toMatchObject({ status: 'fulfilled', fulfilment: { type: 'delivery', carrier: '顺丰', trackingNo: 'SF1234567890', shippedAt: expect.any(String) } })
    expect(shipped.order.transitions.at(-1)).toMatchObject({ from: 'paid', to: 'fulfilled' })
    const detail = await member.caller.ok('order', 'detail', { orderId: order.orderId })
    expect(detail.order.status).toBe('fulfilled')
    // the same shipment again answers the order as it is; a pickup order is not shipped
    expect((await console_().ok('admin', 'markShipped', { orderId: order.orderId, carrier: '顺丰', trackingNo: 'SF1234567890' })).order.transitions).toHaveLength(3)
    const pickupProduct = await addProduct(pickupDemo, { points: 5 })
    const pickupOrder = await member.caller.ok('mall', 'exchange', { productId: pickupProduct, quantity: 1, fulfilment: pickup, requestId: requestId() })
    expect(await console_().call('admin', 'markShipped', { orderId: pickupOrder.order.orderId, carrier: '顺丰', trackingNo: 'SF000111' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 35 })
    await expectInvariants(url, member.memberId)
  })

  test('a coupon product issues its coupons once: the exchange and its retry give exactly quantity coupons from the mall', async () => {
    const templateId = await addTemplate()
    const productId = await addProduct(couponDemo, { couponTemplateId: templateId, points: 20, stock: 10 })
    const member = await joinMember(url)
    const input = { productId, quantity: 2, requestId: requestId() }
    const first = await member.caller.ok('mall', 'exchange', input)
    expect(first.order).toMatchObject({ status: 'paid', points: 40, fulfilment: null })
    const retry = await member.caller.ok('mall', 'exchange', input)
    expect(retry.order.orderId).toBe(first.order.orderId)
    const { data } = await db().collection('coupons').where({ memberId: member.memberId, templateId }).get()
    expect(data).toHaveLength(2)
    expect(data.every((coupon: { source: string; status: string }) => coupon.source === 'mall' && coupon.status === 'unused')).toBe(true)
    expect(((await db().collection('coupon_templates').doc(templateId).get()).data[0] as { taken: number }).taken).toBe(2)
    const wallet = await member.caller.ok('coupon', 'wallet', { status: 'unused' })
    expect(wallet.coupons.filter((coupon) => coupon.templateId === templateId)).toHaveLength(2)
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 60 })
    expect(await productDoc(productId)).toMatchObject({ stock: 8, sold: 2 })
    await expectInvariants(url, member.memberId)
  })

  test('a coupon product whose coupons are gone is refused before anything is taken', async () => {
    const templateId = await addTemplate({ total: 1, taken: 1 })
    const productId = await addProduct(couponDemo, { couponTemplateId: templateId, points: 20, stock: 10 })
    const member = await joinMember(url)
    expect(await member.caller.call('mall', 'exchange', { productId, quantity: 1, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await productDoc(productId)).toMatchObject({ stock: 10, sold: 0 })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100 })
  })

  test('points + cash paid from stored value takes both at once; cancelling before pickup gives both back', async () => {
    const productId = await addProduct(cashDemo, { visibleTiers: [], points: 50, amount: 4900, stock: 3 })
    const member = await joinMember(url)
    await grant(member, { balance: 10000 })
    const { order } = await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, payMethod: 'balance', requestId: requestId() })
    expect(order).toMatchObject({ status: 'paid', points: 50, amount: 4900, payMethod: 'balance' })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 50, balance: 5100 })
    expect(await productDoc(productId)).toMatchObject({ stock: 2, sold: 1 })
    await expectInvariants(url, member.memberId)

    await member.caller.ok('order', 'cancel', { orderId: order.orderId, requestId: requestId() })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100, balance: 10000 })
    expect(await productDoc(productId)).toMatchObject({ stock: 3, sold: 0 })
    await expectInvariants(url, member.memberId)
  })

  test('points + cash by WeChat Pay: points are taken now and payment parameters returned; the unpaid order expires and everything comes back', async () => {
    const productId = await addProduct(cashDemo, { visibleTiers: [], points: 30, amount: 1990, stock: 3 })
    const member = await joinMember(url)
    const input = { productId, quantity: 1, fulfilment: pickup, payMethod: 'wechat' as const, requestId: requestId() }
    const { order, payment } = await member.caller.ok('mall', 'exchange', input)
    expect(order).toMatchObject({ status: 'created', points: 30, amount: 1990, payMethod: 'wechat', payBy: expect.any(String) })
    expect(payment).toMatchObject({ package: expect.stringMatching(/^prepay_id=/), paySign: expect.any(String) })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 70, balance: 0 })
    expect(await productDoc(productId)).toMatchObject({ stock: 2, sold: 1 })
    // a retry of the same request returns the same order and payment, taking nothing more
    const retry = await member.caller.ok('mall', 'exchange', input)
    expect(retry.order.orderId).toBe(order.orderId)
    expect(retry.payment).not.toBeNull()
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 70 })
    expect(await productDoc(productId)).toMatchObject({ stock: 2, sold: 1 })

    await backdate(productId, member.memberId)
    const swept = await sweep()
    expect(swept).toMatchObject({ ok: true })
    expect(swept.data!.expiredOrders).toBeGreaterThanOrEqual(1)
    expect((await member.caller.ok('order', 'detail', { orderId: order.orderId })).order.status).toBe('cancelled')
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100 })
    expect(await productDoc(productId)).toMatchObject({ stock: 3, sold: 0 })
    // a second sweep changes nothing more
    await sweep()
    expect(await productDoc(productId)).toMatchObject({ stock: 3, sold: 0 })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100 })
    await expectInvariants(url, member.memberId)
  })

  test('the sweeper runs only as a timer, never for a user', async () => {
    const member = await joinMember(url)
    expect(await callerFor(url, member.openid).raw('jobs', { Type: 'Timer', TriggerName: 'minutely' })).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })
})

describe('refusals take nothing', () => {
  test('too few points: FAILED_PRECONDITION, stock and points unchanged, no order', async () => {
    const productId = await addProduct(pickupDemo, { points: 101, stock: 4 })
    const member = await joinMember(url)
    expect(await member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', reason: 'INSUFFICIENT_POINTS' },
    })
    expect(await productDoc(productId)).toMatchObject({ stock: 4, sold: 0, holds: [] })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100 })
    expect(await ordersOf(member.memberId)).toEqual([])
    await expectInvariants(url, member.memberId)
  })

  test('points that run out between the check and the payment: the losing order is closed and its stock comes back', async () => {
    const productId = await addProduct(pickupDemo, { points: 60, stock: 10, perMemberLimit: 5 })
    const member = await joinMember(url)
    const answers = await Promise.all(Array.from({ length: 6 }, () => member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })))
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1)
    expect(answers.filter((answer) => !answer.ok).every((answer) => !answer.ok && answer.error.code === 'FAILED_PRECONDITION')).toBe(true)
    const orders = await ordersOf(member.memberId, productId)
    // the losers passed the points check together with the winner: their orders were created, then closed
    expect(orders.filter((order) => order.status === 'cancelled').length).toBeGreaterThanOrEqual(1)
    expect(orders.filter((order) => order.status === 'paid')).toHaveLength(1)
    expect(orders.every((order) => order.status === 'paid' || order.status === 'cancelled')).toBe(true)
    expect(await productDoc(productId)).toMatchObject({ stock: 9, sold: 1, holds: [] })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 40 })
    await expectInvariants(url, member.memberId)
  })

  test('a lost card cannot exchange', async () => {
    const productId = await addProduct(pickupDemo, { points: 10, stock: 4 })
    const member = await joinMember(url)
    await member.caller.ok('member', 'reportLoss', { requestId: requestId() })
    expect(await member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', reason: 'CARD_LOST' },
    })
    expect(await productDoc(productId)).toMatchObject({ stock: 4, sold: 0 })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 100 })
    await expectInvariants(url, member.memberId)
  })
})

describe('concurrency and retries', () => {
  test('300 members exchanging at once for a stock of 50: exactly 50 orders, stock 0, sold 50, and only the winners pay', async () => {
    const productId = await addProduct(pickupDemo, { points: 50, stock: 50, perMemberLimit: 1 })
    const members: TestMember[] = []
    for (let batch = 0; batch < 6; batch++) members.push(...(await Promise.all(Array.from({ length: 50 }, () => joinMember(url)))))
    const answers = await Promise.all(members.map((member) => member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })))
    const winners = members.filter((_, index) => answers[index].ok)
    expect(winners).toHaveLength(50)
    expect(answers.filter((answer) => !answer.ok).every((answer) => !answer.ok && answer.error.code === 'FAILED_PRECONDITION')).toBe(true)
    expect(await productDoc(productId)).toMatchObject({ stock: 0, sold: 50, holds: [] })
    const { total } = await db().collection('orders').where({ productId, status: 'paid' }).count()
    expect(total).toBe(50)
    const { total: all } = await db().collection('orders').where({ productId }).count()
    expect(all).toBe(50)
    for (let i = 0; i < members.length; i += 30) {
      await Promise.all(
        members.slice(i, i + 30).map(async (member) => {
          expect((await memberDoc(url, member.memberId)).points).toBe(winners.includes(member) ? 50 : 100)
          await expectInvariants(url, member.memberId)
        }),
      )
    }
  }, 180_000)

  test('one member firing 20 exchanges at once with a limit of 2 gets 2 orders', async () => {
    const productId = await addProduct(pickupDemo, { points: 10, stock: 100, perMemberLimit: 2 })
    const member = await joinMember(url)
    const answers = await Promise.all(Array.from({ length: 20 }, () => member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })))
    expect(answers.filter((answer) => answer.ok)).toHaveLength(2)
    expect(answers.filter((answer) => !answer.ok).every((answer) => !answer.ok && answer.error.code === 'FAILED_PRECONDITION')).toBe(true)
    expect(await ordersOf(member.memberId, productId)).toHaveLength(2)
    expect(await productDoc(productId)).toMatchObject({ stock: 98, sold: 2, holds: [] })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 80 })
    await expectInvariants(url, member.memberId)
  })

  test('a retry with the same requestId returns the same order and takes nothing twice, even naming another product or quantity', async () => {
    const productId = await addProduct(pickupDemo, { points: 25, stock: 10 })
    const other = await addProduct(pickupDemo, { points: 25, stock: 10 })
    const member = await joinMember(url)
    const input = { productId, quantity: 2, fulfilment: pickup, requestId: requestId() }
    const answers = await Promise.all([member.caller.call('mall', 'exchange', input), member.caller.call('mall', 'exchange', input), member.caller.call('mall', 'exchange', input)])
    const later = await member.caller.ok('mall', 'exchange', input)
    for (const answer of answers) expect(answer).toMatchObject({ ok: true, data: { order: { orderId: later.order.orderId, status: 'paid' } } })
    expect(await ordersOf(member.memberId)).toHaveLength(1)
    expect(await productDoc(productId)).toMatchObject({ stock: 8, sold: 2, holds: [] })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 50 })
    expect(await member.caller.call('mall', 'exchange', { ...input, productId: other })).toMatchObject({ ok: true, data: { order: { orderId: later.order.orderId, quantity: 2 } } })
    expect(await member.caller.call('mall', 'exchange', { ...input, quantity: 1 })).toMatchObject({ ok: true, data: { order: { orderId: later.order.orderId, quantity: 2 } } })
    expect(await productDoc(other)).toMatchObject({ stock: 10, sold: 0 })
    await expectInvariants(url, member.memberId)
  })
})

describe('a crash at any point loses no stock', () => {
  /** Database calls of one exchange by a warm instance, once the member's limit document exists (two exchanges). */
  async function callsOfOneExchange(productId: string, member: TestMember): Promise<number> {
    await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })
    await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })
    const [last] = await invocations(emulator.url, { function: 'mall', openid: member.openid, last: 1 })
    return last.adminCalls
  }

  test('dying after each database call (the stock update among them), the retry with the same requestId completes the exchange exactly once', async () => {
    const productId = await addProduct(pickupDemo, { points: 10, stock: 100, perMemberLimit: 100 })
    const member = await joinMember(url)
    await grant(member, { points: 1000 })
    const calls = await callsOfOneExchange(productId, member)
    expect(calls).toBeGreaterThanOrEqual(6)
    let crashed = 0
    for (let afterCalls = 1; afterCalls <= calls; afterCalls++) {
      const input = { productId, quantity: 1, fulfilment: pickup, requestId: requestId() }
      await planCrash(emulator.url, { functionName: 'mall', action: 'exchange', afterCalls })
      const dying = await member.caller.call('mall', 'exchange', input).catch((error: Error) => ({ ok: false as const, error: { code: 'CRASH', message: error.message } }))
      if (!dying.ok) crashed++
      const retry = await member.caller.ok('mall', 'exchange', input)
      expect(retry.order.status).toBe('paid')
      await expectInvariants(url, member.memberId)
    }
    expect(crashed).toBeGreaterThanOrEqual(calls - 1)
    const orders = await ordersOf(member.memberId, productId)
    expect(orders.filter((order) => order.status === 'paid')).toHaveLength(calls + 2)
    expect(orders).toHaveLength(calls + 2)
    expect(await productDoc(productId)).toMatchObject({ stock: 100 - (calls + 2), sold: calls + 2, holds: [] })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 1100 - 10 * (calls + 2) })
  }, 120_000)

  test('dying after each database call without a retry: once the orders expire and the sweeper runs, every unit is back or in a paid order, and the limit is free', async () => {
    const productId = await addProduct(pickupDemo, { points: 10, stock: 100, perMemberLimit: 100 })
    const member = await joinMember(url)
    await grant(member, { points: 1000 })
    const calls = await callsOfOneExchange(productId, member)
    for (let afterCalls = 1; afterCalls <= calls; afterCalls++) {
      await planCrash(emulator.url, { functionName: 'mall', action: 'exchange', afterCalls })
      await member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() }).catch(() => null)
    }
    const before = await productDoc(productId)
    expect(before.holds.length).toBeGreaterThan(0) // some exchanges died holding stock

    await backdate(productId, member.memberId)
    expect(await sweep()).toMatchObject({ ok: true })
    const orders = await ordersOf(member.memberId, productId)
    const after = await productDoc(productId)
    expect(after.holds).toEqual([])
    expect(after.stock + liveUnits(orders)).toBe(100)
    expect(after.sold).toBe(liveUnits(orders))
    expect(orders.filter((order) => order.status === 'created')).toEqual([])
    const paidPoints = orders.filter((order) => order.status === 'paid').reduce((sum, order) => sum + order.points, 0)
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 1100 - paidPoints })
    await expectInvariants(url, member.memberId)

    // a limit of exactly the live units + 1 still allows one more: dead exchanges no longer count
    await db()
      .collection('products')
      .doc(productId)
      .update({ perMemberLimit: liveUnits(orders) + 1 })
    const more = await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })
    expect(more.order.status).toBe('paid')
    expect(await member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: pickup, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    await expectInvariants(url, member.memberId)
  }, 120_000)
})
