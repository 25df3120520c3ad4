/**
 * One payment per order, through the real SDK and the emulator's WeChat Pay: choosing stored
 * value while a WeChat Pay payment is in progress closes that WeChat Pay order first; a payment
 * that still arrives for an order already paid or closed is refunded once; the cash part of a
 * points + cash order is charged whichever method pays it, and each part comes back once.
 */
import { orderCashEntryId, orderCashRefundEntryId, orderPaymentEntryId, orderRefundEntryId } from '../../domain/orders/order'
import { expectInvariants, memberDoc } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { AT_STORE, adminApp, callerFor, requestId } from '../support/functions'
import { importEntry, insertMembers } from '../support/members'

let emulator: TestEmulator
let url: string
const MIN = 60_000
const PRODUCT = 'p-test-points-cash'
const pickup = { type: 'pickup' as const, storeId: 's-jingan' }

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
  // 精华液 as the demo has it (800 积分 + ¥49), visible to every tier, for these tests.
  const { data } = await db().collection('products').doc('p-serum').get()
  const { _id: _ignored, ...serum } = data[0] as Record<string, unknown>
  await db()
    .collection('products')
    .add({ ...serum, _id: PRODUCT, visibleTiers: [], perMemberLimit: 100, stock: 500, holds: [] })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()

async function newMember(opening: { points?: number; balance?: number }) {
  const [made] = await insertMembers(url, 1, { label: 'orderpay', opening: (memberId) => [importEntry(memberId, opening)] })
  return { ...made, caller: callerFor(url, made.openid) }
}

let saleSequence = 0
async function insertSale(price = 990): Promise<string> {
  const now = Date.now()
  const _id = `fs-orderpay-${process.pid}-${++saleSequence}`
  await db()
    .collection('flash_sales')
    .add({
      _id,
      title: `测试秒杀 ${saleSequence}`,
      image: null,
      price,
      listPrice: 2990,
      stock: 10,
      sold: 0,
      perMemberLimit: 3,
      startAt: new Date(now - MIN),
      endAt: new Date(now + 60 * MIN),
      fulfilment: ['pickup', 'delivery'],
    })
  return _id
}

interface PayOrder {
  outTradeNo: string
  state: string
}
interface PayRefund {
  outTradeNo: string
  outRefundNo: string
  refundFee: number
}

async function notify(outTradeNo: string, options: { times?: number; concurrent?: boolean; deliver?: boolean } = {}) {
  const response = await fetch(`${emulator.url}/emulator/pay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, result: 'SUCCESS', ...options }),
  })
  return { status: response.status, body: (await response.json()) as { answers?: { ok: boolean; result: { errcode: number } }[]; error?: { code: string } } }
}

async function payOrder(outTradeNo: string): Promise<PayOrder | undefined> {
  const { orders } = (await (await fetch(`${emulator.url}/emulator/pay/orders`)).json()) as { orders: PayOrder[] }
  return orders.find((order) => order.outTradeNo === outTradeNo)
}

async function refundsOf(outTradeNo: string): Promise<PayRefund[]> {
  const { refunds } = (await (await fetch(`${emulator.url}/emulator/pay/refunds`)).json()) as { refunds: PayRefund[] }
  return refunds.filter((refund) => refund.outTradeNo === outTradeNo)
}

async function orderDoc(orderId: string) {
  const { data } = await db().collection('orders').doc(orderId).get()
  return data[0] as { status: string; payMethod: string | null; outTradeNo: string | null; closedOutTradeNos?: string[] }
}

async function entriesOf(memberId: string, orderId: string) {
  const { data } = await db().collection('ledger').where({ memberId }).limit(1000).get()
  return (data as { _id: string; points: number; balance: number; detail?: { orderId?: string } }[]).filter((entry) => entry.detail?.orderId === orderId)
}

function promoSweep() {
  return callerFor(url, null).raw('jobs', { Type: 'Timer', TriggerName: 'minutely', Time: new Date().toISOString() })
}

describe('one payment per order', () => {
  test('flashBuy → WeChat Pay started → stored value: the WeChat Pay order is closed first, WeChat Pay then refuses its payment, the member pays once', async () => {
    const member = await newMember({ balance: 100_000 })
    const saleId = await insertSale(990)
    const { order: placed } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId, requestId: requestId() })
    const started = await member.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'wechat', requestId: requestId() })
    expect(started.payment).not.toBeNull()
    const outTradeNo = started.order.outTradeNo as string
    expect(await payOrder(outTradeNo)).toMatchObject({ state: 'NOTPAY' })

    const { order } = await member.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'balance', requestId: requestId() })
    expect(order).toMatchObject({ status: 'paid', payMethod: 'balance', outTradeNo: null })
    expect(await payOrder(outTradeNo)).toMatchObject({ state: 'CLOSED' })
    expect((await memberDoc(url, member.memberId)).balance).toBe(100_000 - 990)

    // the payer taps 支付 on the sheet still open: a closed order cannot be paid, nothing is notified
    const late = await notify(outTradeNo)
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'ORDERCLOSED' } } })
    await promoSweep()
    expect(await orderDoc(placed.orderId)).toMatchObject({ status: 'paid', payMethod: 'balance' })
    expect(await refundsOf(outTradeNo)).toEqual([])
    expect((await memberDoc(url, member.memberId)).balance).toBe(100_000 - 990)
    expect((await entriesOf(member.memberId, placed.orderId)).map((entry) => entry.balance)).toEqual([-990])
    await expectInvariants(url, member.memberId)
  })

  test('a WeChat payment completed before stored value was chosen cannot be closed: stored value is refused and charges nothing, the notification pays the order', async () => {
    const member = await newMember({ balance: 100_000 })
    const { order: placed } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: await insertSale(1500), requestId: requestId() })
    const started = await member.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'wechat', requestId: requestId() })
    const outTradeNo = started.order.outTradeNo as string
    // the payer paid; WeChat Pay's notification has not arrived yet
    expect(await notify(outTradeNo, { deliver: false })).toMatchObject({ status: 200 })

    const byBalance = await member.caller.call('order', 'pay', { orderId: placed.orderId, method: 'balance', requestId: requestId() })
    expect(byBalance).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await payOrder(outTradeNo)).toMatchObject({ state: 'SUCCESS' })
    expect((await memberDoc(url, member.memberId)).balance).toBe(100_000)

    const delivered = await notify(outTradeNo, { times: 3 })
    expect(delivered.status).toBe(200)
    expect(delivered.body.answers?.map((answer) => answer.result.errcode)).toEqual([0, 0, 0])
    expect(await orderDoc(placed.orderId)).toMatchObject({ status: 'paid', payMethod: 'wechat' })
    expect(await refundsOf(outTradeNo)).toEqual([])
    expect((await memberDoc(url, member.memberId)).balance).toBe(100_000)
    await expectInvariants(url, member.memberId)
  })

  test('a payment that arrives for an order already paid another way (stored value paid while WeChat Pay was starting) is refunded once, however often and concurrently it is notified', async () => {
    const member = await newMember({ balance: 100_000 })
    const { order: placed } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: await insertSale(2000), requestId: requestId() })
    const started = await member.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'wechat', requestId: requestId() })
    const outTradeNo = started.order.outTradeNo as string
    // The race: the stored-value payment read the order before WeChat Pay's start wrote its out_trade_no.
    await db().collection('orders').doc(placed.orderId).update({ outTradeNo: null })
    await member.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'balance', requestId: requestId() })
    await db().collection('orders').doc(placed.orderId).update({ outTradeNo })
    expect(await payOrder(outTradeNo)).toMatchObject({ state: 'NOTPAY' })

    const first = await notify(outTradeNo, { times: 4, concurrent: true })
    const again = await notify(outTradeNo, { times: 2 })
    for (const answer of [...(first.body.answers ?? []), ...(again.body.answers ?? [])]) expect(answer.result.errcode).toBe(0)
    expect(await refundsOf(outTradeNo)).toEqual([expect.objectContaining({ refundFee: 2000, outRefundNo: `L${outTradeNo}` })])
    expect(await orderDoc(placed.orderId)).toMatchObject({ status: 'paid', payMethod: 'balance' })
    expect((await memberDoc(url, member.memberId)).balance).toBe(100_000 - 2000)
    await promoSweep()
    expect(await refundsOf(outTradeNo)).toHaveLength(1)
    await expectInvariants(url, member.memberId)
  })

  test('a refused stored-value payment leaves the order payable by WeChat Pay again, under a new out_trade_no; the closed one can never be paid', async () => {
    const member = await newMember({ balance: 100 })
    const { order: placed } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: await insertSale(990), requestId: requestId() })
    const first = (await member.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'wechat', requestId: requestId() })).order.outTradeNo as string
    expect(await member.caller.call('order', 'pay', { orderId: placed.orderId, method: 'balance', requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await payOrder(first)).toMatchObject({ state: 'CLOSED' })
    expect(await orderDoc(placed.orderId)).toMatchObject({ status: 'created', outTradeNo: null, closedOutTradeNos: [first] })

    const again = await member.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'wechat', requestId: requestId() })
    const second = again.order.outTradeNo as string
    expect(again.payment).not.toBeNull()
    expect(second).toMatch(/^OD[0-9a-f]{28}$/)
    expect(second).not.toBe(first)
    expect(await notify(first)).toMatchObject({ status: 409 })
    expect(await notify(second)).toMatchObject({ status: 200 })
    expect(await orderDoc(placed.orderId)).toMatchObject({ status: 'paid', payMethod: 'wechat', outTradeNo: second })
    expect((await member.caller.ok('order', 'detail', { orderId: placed.orderId })).order).toMatchObject({ status: 'paid', outTradeNo: second })
    expect(await refundsOf(first)).toEqual([])
    expect(await refundsOf(second)).toEqual([])
    expect((await memberDoc(url, member.memberId)).balance).toBe(100)
    await expectInvariants(url, member.memberId)
  })

  test('a WeChat payment refunded with its order is not refunded again by a repeated notification', async () => {
    const member = await newMember({ points: 2000 })
    const { order } = await member.caller.ok('mall', 'exchange', { productId: PRODUCT, quantity: 1, fulfilment: pickup, payMethod: 'wechat', requestId: requestId() })
    const outTradeNo = order.outTradeNo as string
    await notify(outTradeNo)
    expect((await member.caller.ok('order', 'cancel', { orderId: order.orderId, requestId: requestId() })).order.status).toBe('refunded')
    await notify(outTradeNo, { times: 3, concurrent: true })
    expect(await refundsOf(outTradeNo)).toEqual([expect.objectContaining({ refundFee: 4900, outRefundNo: `R${outTradeNo}` })])
    expect((await memberDoc(url, member.memberId)).points).toBe(2000)
    await expectInvariants(url, member.memberId)
  })
})

describe('the cash part of a points + cash order is charged whichever method pays it', () => {
  test('积分商城 精华液 (800 积分 + ¥49) → 微信支付 → sheet cancelled → 储值支付: −¥49 from stored value; cancelled, each part comes back once', async () => {
    const member = await newMember({ points: 2000, balance: 10_000 })
    const { order, payment } = await member.caller.ok('mall', 'exchange', { productId: PRODUCT, quantity: 1, fulfilment: pickup, payMethod: 'wechat', requestId: requestId() })
    expect(payment).not.toBeNull()
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 1200, balance: 10_000 })

    // the member cancels the pay sheet (nothing happens at WeChat Pay), then pays the order by stored value
    const paid = await member.caller.ok('order', 'pay', { orderId: order.orderId, method: 'balance', requestId: requestId() })
    expect(paid.order).toMatchObject({ status: 'paid', payMethod: 'balance' })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 1200, balance: 10_000 - 4900 })
    const entries = await entriesOf(member.memberId, order.orderId)
    expect(entries.map(({ _id, points, balance }) => ({ _id, points, balance }))).toEqual(
      expect.arrayContaining([
        { _id: orderPaymentEntryId(order.orderId), points: -800, balance: 0 },
        { _id: orderCashEntryId(order.orderId), points: 0, balance: -4900 },
      ]),
    )
    expect(entries).toHaveLength(2)
    expect(await payOrder(order.outTradeNo as string)).toMatchObject({ state: 'CLOSED' })
    await expectInvariants(url, member.memberId)

    const answers = await Promise.all(Array.from({ length: 4 }, () => member.caller.call('order', 'cancel', { orderId: order.orderId, requestId: requestId() })))
    expect(answers.filter((answer) => answer.ok)).not.toHaveLength(0)
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 2000, balance: 10_000 })
    const after = await entriesOf(member.memberId, order.orderId)
    expect(after.map((entry) => entry._id).sort()).toEqual(
      [orderCashEntryId(order.orderId), orderCashRefundEntryId(order.orderId), orderPaymentEntryId(order.orderId), orderRefundEntryId(order.orderId)].sort(),
    )
    expect(await refundsOf(order.outTradeNo as string)).toEqual([])
    await expectInvariants(url, member.memberId)
  })

  test('stored value paying the cash part at once takes both parts; a retried order.pay takes nothing more', async () => {
    const member = await newMember({ points: 2000, balance: 10_000 })
    const { order } = await member.caller.ok('mall', 'exchange', { productId: PRODUCT, quantity: 1, fulfilment: pickup, payMethod: 'balance', requestId: requestId() })
    expect(order).toMatchObject({ status: 'paid', payMethod: 'balance' })
    await member.caller.ok('order', 'pay', { orderId: order.orderId, method: 'balance', requestId: requestId() })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 1200, balance: 5100 })
    expect(await entriesOf(member.memberId, order.orderId)).toHaveLength(2)
    await member.caller.ok('order', 'cancel', { orderId: order.orderId, requestId: requestId() })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ points: 2000, balance: 10_000 })
    await expectInvariants(url, member.memberId)
  })
})
