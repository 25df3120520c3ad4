/**
 * A retried request id carrying another payload (another product, quantity, campaign, group,
 * method, template, share, order or amount), through the real SDK and the emulator: the answer is
 * the first request's result, and nothing else moves — no stock, limit, seat, coupon copy or
 * share claim taken, no order created or closed, no money moved, no second WeChat Pay order.
 */
import { expectInvariants, memberDoc } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { addCouponTemplate } from '../support/coupons'
import { AT_STORE, adminApp, callerFor, invocations, requestId } from '../support/functions'
import { importEntry, insertMembers } from '../support/members'

let emulator: TestEmulator
let url: string
const MIN = 60_000
const pickup = { type: 'pickup' as const, storeId: 's-jingan' }
let sequence = 0

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()
const uid = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`

async function newMember(opening: { points?: number; balance?: number } = { points: 10_000, balance: 100_000 }) {
  const [made] = await insertMembers(url, 1, { label: 'replay', opening: (memberId) => [importEntry(memberId, opening)] })
  return { ...made, caller: callerFor(url, made.openid) }
}

async function doc<T = Record<string, unknown>>(collection: string, id: string): Promise<T | undefined> {
  return (await db().collection(collection).doc(id).get()).data[0] as T | undefined
}

async function ordersOf(memberId: string) {
  return (await db().collection('orders').where({ memberId }).limit(1000).get()).data as { _id: string; status: string }[]
}

async function addProduct(overrides: Record<string, unknown> = {}): Promise<string> {
  const _id = uid('p-replay')
  await db()
    .collection('products')
    .add({
      _id,
      name: '测试商品',
      kind: 'goods',
      category: '测试',
      image: null,
      description: '',
      points: 100,
      amount: 0,
      stock: 10,
      sold: 0,
      perMemberLimit: 5,
      visibleTiers: [],
      onShelf: true,
      pinned: false,
      fulfilment: ['pickup'],
      holds: [],
      ...overrides,
    })
  return _id
}

async function addSale(): Promise<string> {
  const _id = uid('fs-replay')
  const now = Date.now()
  await db()
    .collection('flash_sales')
    .add({
      _id,
      title: '测试秒杀',
      image: null,
      price: 990,
      listPrice: 2990,
      stock: 10,
      sold: 0,
      perMemberLimit: 2,
      startAt: new Date(now - MIN),
      endAt: new Date(now + 60 * MIN),
      fulfilment: ['pickup', 'delivery'],
    })
  return _id
}

async function addCampaign(): Promise<string> {
  const _id = uid('gb-replay')
  await db()
    .collection('group_campaigns')
    .add({
      _id,
      title: '测试拼团',
      image: null,
      groupPrice: 5900,
      listPrice: 12900,
      groupSize: 3,
      timeLimitMinutes: 60,
      stock: 10,
      sold: 0,
      endAt: new Date(Date.now() + 24 * 60 * MIN),
      fulfilment: ['pickup', 'delivery'],
    })
  return _id
}

const addTemplate = (overrides: Record<string, unknown> = {}) => addCouponTemplate(url, overrides)

async function payOrders(): Promise<{ outTradeNo: string; state: string }[]> {
  return ((await (await fetch(`${emulator.url}/emulator/pay/orders`)).json()) as { orders: { outTradeNo: string; state: string }[] }).orders
}

describe('mall.exchange', () => {
  test('the same requestId for another product, quantity or method answers the first order and takes no stock, limit or points', async () => {
    const member = await newMember()
    const first = await addProduct()
    const other = await addProduct()
    const input = { productId: first, quantity: 1, fulfilment: pickup, requestId: requestId() }
    const { order } = await member.caller.ok('mall', 'exchange', input)
    expect(order).toMatchObject({ status: 'paid', quantity: 1 })
    for (const retry of [
      { ...input, productId: other },
      { ...input, quantity: 3 },
      { ...input, productId: other, quantity: 2, payMethod: 'balance' as const },
    ]) {
      expect(await member.caller.call('mall', 'exchange', retry)).toMatchObject({ ok: true, data: { order: { orderId: order.orderId, quantity: 1, status: 'paid' }, payment: null } })
    }
    expect(await doc('products', other)).toMatchObject({ stock: 10, sold: 0, holds: [] })
    expect(await doc('products', first)).toMatchObject({ stock: 9, sold: 1, holds: [] })
    expect(await doc<{ count: number }>('mall_limits', `${other}:${member.memberId}`).then((limit) => limit?.count ?? 0)).toBe(0)
    expect(await ordersOf(member.memberId)).toHaveLength(1)
    expect((await memberDoc(url, member.memberId)).points).toBe(10_000 - 100)
    await expectInvariants(url, member.memberId)
  })
})

describe('promo.flashBuy', () => {
  test('the same requestId again on the same sale answers the first order and keeps no second unit', async () => {
    const member = await newMember()
    const saleId = await addSale()
    const input = { saleId, fulfilment: AT_STORE, requestId: requestId() }
    const { order } = await member.caller.ok('promo', 'flashBuy', input)
    const again = await Promise.all([member.caller.ok('promo', 'flashBuy', input), member.caller.ok('promo', 'flashBuy', input)])
    for (const answer of again) expect(answer.order.orderId).toBe(order.orderId)
    // the same request with no way of fulfilment at all is still answered as the first
    expect((await member.caller.ok('promo', 'flashBuy', { saleId, requestId: input.requestId })).order.orderId).toBe(order.orderId)
    // asking for another store with the same request changes nothing: the first order's store stands
    const otherStore = await member.caller.ok('promo', 'flashBuy', { ...input, fulfilment: { type: 'pickup', storeId: 's-xuhui' } })
    expect(otherStore.order).toMatchObject({ orderId: order.orderId, fulfilment: { type: 'pickup', storeId: 's-jingan' } })
    expect(await doc('flash_sales', saleId)).toMatchObject({ stock: 9, sold: 1 })
    expect(await ordersOf(member.memberId)).toHaveLength(1)
  })

  test('the same requestId naming another sale answers the first order and takes no unit of the other sale, not even for a moment', async () => {
    const member = await newMember()
    const first = await addSale()
    const other = await addSale()
    const request = requestId()
    const { order } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: first, requestId: request })
    for (let i = 0; i < 3; i++) {
      const retry = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: other, requestId: request })
      expect(retry.order).toMatchObject({ orderId: order.orderId, status: 'created', amount: 990 })
      // recognised before the stock take: the other sale's document was never written
      const [last] = await invocations(emulator.url, { function: 'promo', openid: member.openid, last: 1 })
      expect(last).toMatchObject({ action: 'flashBuy', outcome: 'ok' })
      expect(last.adminCalls).toBeLessThanOrEqual(2)
    }
    expect(await doc('flash_sales', other)).toMatchObject({ stock: 10, sold: 0 })
    expect(await doc('flash_sales', first)).toMatchObject({ stock: 9, sold: 1 })
    expect((await ordersOf(member.memberId)).map((placed) => placed._id)).toEqual([order.orderId])
    // the first order cancelled, the retry still answers it, and places nothing new
    await member.caller.ok('order', 'cancel', { orderId: order.orderId, requestId: requestId() })
    expect((await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: other, requestId: request })).order).toMatchObject({ orderId: order.orderId, status: 'cancelled' })
    expect(await doc('flash_sales', other)).toMatchObject({ stock: 10, sold: 0 })
    expect(await doc('flash_sales', first)).toMatchObject({ stock: 10, sold: 0 })
    expect(await ordersOf(member.memberId)).toHaveLength(1)
    await expectInvariants(url, member.memberId)
  })
})

describe('promo.startGroup / joinGroup', () => {
  test('the same requestId for another campaign or method answers the first group and order; the other campaign keeps its stock', async () => {
    const leader = await newMember()
    const first = await addCampaign()
    const other = await addCampaign()
    const input = { campaignId: first, fulfilment: AT_STORE, payMethod: 'balance' as const, requestId: requestId() }
    const placed = await leader.caller.ok('promo', 'startGroup', input)
    expect(placed.order).toMatchObject({ status: 'paid', payMethod: 'balance' })
    for (const retry of [
      { ...input, campaignId: other },
      { ...input, payMethod: 'wechat' as const },
      { ...input, campaignId: other, payMethod: 'wechat' as const },
      { ...input, fulfilment: { type: 'pickup' as const, storeId: 's-xuhui' } },
    ]) {
      expect(await leader.caller.call('promo', 'startGroup', retry)).toMatchObject({
        ok: true,
        data: { group: { groupId: placed.group.groupId }, order: { orderId: placed.order.orderId, status: 'paid', fulfilment: { storeId: 's-jingan' } }, payment: null },
      })
    }
    expect(await doc('group_campaigns', other)).toMatchObject({ stock: 10, sold: 0 })
    expect(await doc('group_campaigns', first)).toMatchObject({ stock: 9, sold: 1 })
    expect(await ordersOf(leader.memberId)).toHaveLength(1)
    expect((await memberDoc(url, leader.memberId)).balance).toBe(100_000 - 5900)
    await expectInvariants(url, leader.memberId)
  })

  test('the same requestId for another group (or for starting one) answers the first join and takes no seat, unit or money', async () => {
    const campaignId = await addCampaign()
    const [leaderA, leaderB, member] = [await newMember(), await newMember(), await newMember()]
    const groupA = (await leaderA.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })).group.groupId
    const groupB = (await leaderB.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })).group.groupId
    const input = { groupId: groupA, fulfilment: AT_STORE, payMethod: 'balance' as const, requestId: requestId() }
    const joined = await member.caller.ok('promo', 'joinGroup', input)
    expect(joined.order).toMatchObject({ status: 'paid', groupId: groupA })
    const stock = await doc<{ stock: number }>('group_campaigns', campaignId)
    expect(await member.caller.call('promo', 'joinGroup', { ...input, groupId: groupB })).toMatchObject({ ok: true, data: { group: { groupId: groupA }, order: { orderId: joined.order.orderId } } })
    expect(await member.caller.call('promo', 'joinGroup', { ...input, groupId: groupB, payMethod: 'wechat' })).toMatchObject({
      ok: true,
      data: { order: { orderId: joined.order.orderId }, payment: null },
    })
    expect(await member.caller.call('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: input.requestId })).toMatchObject({
      ok: true,
      data: { group: { groupId: groupA }, order: { orderId: joined.order.orderId } },
    })
    expect(await doc('groups', groupB)).toMatchObject({ count: 1 })
    expect(await doc('group_campaigns', campaignId)).toMatchObject({ stock: stock?.stock })
    expect(await ordersOf(member.memberId)).toHaveLength(1)
    expect((await memberDoc(url, member.memberId)).balance).toBe(100_000 - 5900)
    await expectInvariants(url, member.memberId)
  })
})

describe('order.pay / order.cancel', () => {
  test('order.pay: the requestId that started WeChat Pay, sent again with stored value, answers the WeChat Pay start and charges nothing', async () => {
    const member = await newMember()
    const { order } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: await addSale(), requestId: requestId() })
    const id = requestId()
    const started = await member.caller.ok('order', 'pay', { orderId: order.orderId, method: 'wechat', requestId: id })
    const again = await member.caller.ok('order', 'pay', { orderId: order.orderId, method: 'balance', requestId: id })
    expect(again).toMatchObject({ order: { status: 'created', payMethod: 'wechat', outTradeNo: started.order.outTradeNo }, payment: { package: started.payment?.package } })
    expect((await payOrders()).find((entry) => entry.outTradeNo === started.order.outTradeNo)).toMatchObject({ state: 'NOTPAY' })
    expect((await memberDoc(url, member.memberId)).balance).toBe(100_000)
    await expectInvariants(url, member.memberId)
  })

  test('order.cancel: the same requestId naming another order answers the first cancellation and closes nothing else', async () => {
    const member = await newMember()
    const saleId = await addSale()
    const { order: first } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId, requestId: requestId() })
    const { order: second } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId, requestId: requestId() })
    const id = requestId()
    expect((await member.caller.ok('order', 'cancel', { orderId: first.orderId, requestId: id })).order).toMatchObject({ orderId: first.orderId, status: 'cancelled' })
    expect((await member.caller.ok('order', 'cancel', { orderId: second.orderId, requestId: id })).order).toMatchObject({ orderId: first.orderId, status: 'cancelled' })
    expect(await doc('orders', second.orderId)).toMatchObject({ status: 'created' })
    expect(await doc('flash_sales', saleId)).toMatchObject({ stock: 9, sold: 1 })
  })
})

describe('coupon.claim / claimFriendCoupon', () => {
  test('claim: the same requestId for another template answers the first coupon and takes no copy of the other', async () => {
    const member = await newMember()
    const first = await addTemplate()
    const other = await addTemplate()
    const id = requestId()
    const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: first, requestId: id })
    expect(await member.caller.call('coupon', 'claim', { templateId: other, requestId: id })).toMatchObject({ ok: true, data: { coupon: { couponId: coupon.couponId } } })
    expect(await doc('coupon_templates', other)).toMatchObject({ taken: 0 })
    expect((await db().collection('coupons').where({ memberId: member.memberId, templateId: other }).count()).total).toBe(0)
  })

  test('claimFriendCoupon: the same requestId for another share answers the first coupon and takes no claim of the other share', async () => {
    const friendTerms = { friend: { perSharer: 5, perFriend: 1, budget: 100 } }
    const [sharerA, sharerB, friend] = [await newMember(), await newMember(), await newMember()]
    const templateA = await addTemplate(friendTerms)
    const templateB = await addTemplate(friendTerms)
    await sharerA.caller.ok('coupon', 'claim', { templateId: templateA, requestId: requestId() })
    await sharerB.caller.ok('coupon', 'claim', { templateId: templateB, requestId: requestId() })
    const shareA = (await sharerA.caller.ok('coupon', 'shareFriendCoupon', { templateId: templateA })).share.shareId
    const shareB = (await sharerB.caller.ok('coupon', 'shareFriendCoupon', { templateId: templateB })).share.shareId
    const id = requestId()
    const { coupon } = await friend.caller.ok('coupon', 'claimFriendCoupon', { shareId: shareA, requestId: id })
    expect(await friend.caller.call('coupon', 'claimFriendCoupon', { shareId: shareB, requestId: id })).toMatchObject({ ok: true, data: { coupon: { couponId: coupon.couponId } } })
    expect(await doc('coupon_shares', shareB)).toMatchObject({ claims: 0 })
    const templateAfter = await doc<{ taken: number; friendTaken?: number }>('coupon_templates', templateB)
    expect({ taken: templateAfter?.taken, friendTaken: templateAfter?.friendTaken ?? 0 }).toEqual({ taken: 1, friendTaken: 0 })
  })
})

describe('payment.createTopup', () => {
  test('the same requestId with another amount answers the first top-up and orders nothing more at WeChat Pay', async () => {
    const member = await newMember({ balance: 0 })
    const id = requestId()
    const first = await member.caller.ok('payment', 'createTopup', { amount: 10_000, requestId: id })
    const before = (await payOrders()).length
    expect(await member.caller.call('payment', 'createTopup', { amount: 20_000, requestId: id })).toMatchObject({ ok: true, data: { orderId: first.orderId, amount: 10_000, payment: first.payment } })
    expect((await payOrders()).length).toBe(before)
    expect((await db().collection('payment_orders').where({ memberId: member.memberId }).count()).total).toBe(1)
  })
})
