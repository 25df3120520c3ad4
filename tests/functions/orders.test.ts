import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { expectInvariants, joinMember, memberDoc, requestId } from '../support/counter'
import { AT_STORE, adminApp, callerFor, planCrash } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
  const { member } = await callerFor(url, DEMO_MEMBER_OPENID).ok('member', 'profile', {})
  await callerFor(url, null).ok('admin', 'bulkGrant', { batchId: 'orders-test', memberIds: [member.memberId], points: 5000, reason: '测试积分' })
  // A points + cash product without tier limits, for these tests.
  const db = adminApp(url).database()
  const { data } = await db.collection('products').doc('p-serum').get()
  const { _id: _ignored, ...serum } = data[0] as Record<string, unknown>
  await db.collection('products').add({ ...serum, _id: 'p-test-cash', perMemberLimit: 10, stock: 50, holds: [] })
  // The crash test below exchanges 润唇膏 again and again; exchanges cut short hold their limit for minutes.
  await db.collection('products').doc('p-lipbalm').update({ perMemberLimit: 50 })
})
afterAll(() => emulator?.stop())

const member = () => callerFor(url, DEMO_MEMBER_OPENID)
const memberId = async () => (await member().ok('member', 'profile', {})).member.memberId

async function notify(outTradeNo: string, times = 1, concurrent = false) {
  const response = await fetch(`${emulator.url}/emulator/pay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, result: 'SUCCESS', times, concurrent }),
  })
  expect(response.status).toBe(200)
  return response.json()
}

async function orderDoc(orderId: string) {
  return (await adminApp(url).database().collection('orders').doc(orderId).get()).data[0] as { status: string; outTradeNo: string; transitions: { to: string }[]; payBy: Date }
}

async function stockOf(productId: string) {
  return ((await adminApp(url).database().collection('products').doc(productId).get()).data[0] as { stock: number }).stock
}

describe('orders paid by WeChat Pay (points + cash)', () => {
  test('the notification marks the order paid once, however many arrive at once', async () => {
    const { order, payment } = await member().ok('mall', 'exchange', {
      productId: 'p-test-cash',
      quantity: 1,
      fulfilment: { type: 'pickup', storeId: 's-jingan' },
      payMethod: 'wechat',
      requestId: requestId(),
    })
    expect(order.status).toBe('created')
    expect(payment?.package).toMatch(/^prepay_id=/)
    const { outTradeNo } = await orderDoc(order.orderId)
    await notify(outTradeNo, 5, true)
    const paid = await orderDoc(order.orderId)
    expect(paid.status).toBe('paid')
    expect(paid.transitions.filter((step) => step.to === 'paid').length).toBe(1)
    await expectInvariants(url, await memberId())
  })

  test('a payment that arrives after the unpaid order was released is refunded, not fulfilled', async () => {
    const stockBefore = await stockOf('p-test-cash')
    const { order } = await member().ok('mall', 'exchange', { productId: 'p-test-cash', quantity: 1, fulfilment: { type: 'pickup', storeId: 's-jingan' }, payMethod: 'wechat', requestId: requestId() })
    const pointsAfterOrder = (await memberDoc(url, await memberId())).points
    await adminApp(url)
      .database()
      .collection('orders')
      .doc(order.orderId)
      .update({ payBy: new Date(Date.now() - 60_000) })
    await callerFor(url, null).raw('jobs', { Type: 'Timer', TriggerName: 'minutely', Time: new Date().toISOString() })
    expect((await orderDoc(order.orderId)).status).toBe('cancelled')
    expect(await stockOf('p-test-cash')).toBe(stockBefore)
    expect((await memberDoc(url, await memberId())).points).toBe(pointsAfterOrder + 800)

    const { outTradeNo } = await orderDoc(order.orderId)
    await notify(outTradeNo, 2)
    expect((await orderDoc(order.orderId)).status).toBe('cancelled')
    const refunds = ((await (await fetch(`${emulator.url}/emulator/pay/refunds`)).json()) as { refunds: { outTradeNo: string; refundFee: number }[] }).refunds
    expect(refunds.filter((refund) => refund.outTradeNo === outTradeNo)).toEqual([expect.objectContaining({ refundFee: 4900 })])
    await expectInvariants(url, await memberId())
  })
})

describe("the order's WeChat Pay order number (outTradeNo)", () => {
  test('an order paid by WeChat Pay names the out_trade_no WeChat Pay was asked for, in every view of it', async () => {
    const { order, payment } = await member().ok('mall', 'exchange', {
      productId: 'p-test-cash',
      quantity: 1,
      fulfilment: { type: 'pickup', storeId: 's-jingan' },
      payMethod: 'wechat',
      requestId: requestId(),
    })
    expect(payment).not.toBeNull()
    const { outTradeNo } = await orderDoc(order.orderId)
    expect(outTradeNo).toMatch(/^OD[0-9a-f]{28}$/)
    expect(order.outTradeNo).toBe(outTradeNo)
    const payOrders = ((await (await fetch(`${emulator.url}/emulator/pay/orders`)).json()) as { orders: { outTradeNo: string; totalFee: number }[] }).orders
    expect(payOrders.find((entry) => entry.outTradeNo === order.outTradeNo)).toMatchObject({ totalFee: 4900 })
    expect((await member().ok('order', 'detail', { orderId: order.orderId })).order.outTradeNo).toBe(outTradeNo)
    expect((await member().ok('order', 'list', { kind: 'mall' })).orders.find((entry) => entry.orderId === order.orderId)?.outTradeNo).toBe(outTradeNo)
    // asking to pay again answers the same WeChat Pay order
    expect((await member().ok('order', 'pay', { orderId: order.orderId, method: 'wechat', requestId: requestId() })).order.outTradeNo).toBe(outTradeNo)
    await member().ok('order', 'cancel', { orderId: order.orderId, requestId: requestId() })
  })

  test('an order placed unpaid gets its outTradeNo from the order.pay that starts WeChat Pay; one paid from stored value has none', async () => {
    const buyer = await joinMember(url)
    const { order: placed } = await buyer.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: 'fs-serum-live', requestId: requestId() })
    expect(placed).toMatchObject({ status: 'created', outTradeNo: null })
    const { order, payment } = await buyer.caller.ok('order', 'pay', { orderId: placed.orderId, method: 'wechat', requestId: requestId() })
    expect(payment).not.toBeNull()
    expect(order.outTradeNo).toMatch(/^OD[0-9a-f]{28}$/)
    expect(order.outTradeNo).toBe((await orderDoc(placed.orderId)).outTradeNo)
    await notify(order.outTradeNo as string)
    expect((await buyer.caller.ok('order', 'detail', { orderId: placed.orderId })).order).toMatchObject({ status: 'paid', payMethod: 'wechat', outTradeNo: order.outTradeNo })

    await callerFor(url, null).ok('admin', 'bulkGrant', { batchId: `orders-otn-${buyer.memberId}`, memberIds: [buyer.memberId], points: 1000, reason: '测试积分' })
    const { order: byPoints } = await buyer.caller.ok('mall', 'exchange', { productId: 'p-lipbalm', quantity: 1, fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: requestId() })
    expect(byPoints).toMatchObject({ status: 'paid', payMethod: 'points', outTradeNo: null })
  })
})

describe('cancelling after a crash', () => {
  test('a payment that only reached the member outbox (crash before the ledger copy) is still refunded on cancel', async () => {
    const id = await memberId()
    const before = (await memberDoc(url, id)).points
    // exchange: … stock, order, then the payment's member update, then its ledger copy: die between the last two
    let crashed = false
    for (let afterCalls = 3; afterCalls < 12 && !crashed; afterCalls++) {
      await planCrash(emulator.url, { functionName: 'mall', action: 'exchange', afterCalls })
      const answer = await member().call('mall', 'exchange', { productId: 'p-lipbalm', quantity: 1, fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: requestId() })
      const doc = await memberDoc(url, id)
      const inOutbox = Object.keys(doc.outbox ?? {}).filter((entryId) => entryId.startsWith('order-pay:'))
      const copied = inOutbox.length
        ? (
            (
              await adminApp(url)
                .database()
                .collection('ledger')
                .where({ _id: adminApp(url).database().command.in(inOutbox) })
                .get()
            ).data as { _id: string }[]
          ).map((entry) => entry._id)
        : []
      const onlyInOutbox = inOutbox.filter((entryId) => !copied.includes(entryId))
      if (!answer.ok && onlyInOutbox.length > 0) {
        crashed = true
        expect((await memberDoc(url, id)).points).toBe(before - 300)
        const orderId = onlyInOutbox[0].slice('order-pay:'.length)
        await member().ok('order', 'cancel', { orderId, requestId: requestId() })
        expect((await memberDoc(url, id)).points).toBe(before)
        await expectInvariants(url, id)
      } else if (answer.ok) {
        await member().ok('order', 'cancel', { orderId: answer.data.order.orderId, requestId: requestId() })
      }
    }
    expect(crashed).toBe(true)
  })
})
