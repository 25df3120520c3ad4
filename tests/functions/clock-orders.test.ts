/**
 * Unpaid orders on the business clock, through the real SDK and the emulator: a flash-sale order
 * holds its unit for 15 minutes; from then on it can no longer be paid, and the minute timer
 * cancels it and puts the unit back (once). A WeChat payment started in time but made after the
 * release is refunded, exactly once however often WeChat Pay notifies; one made in time pays.
 */
import { expectRefused, fireTimer, HOUR, MINUTE, payNotify, payRefunds, SECOND, setClock, shanghai } from '../support/clock'
import { expectInvariants, memberDoc } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { AT_STORE, adminApp, callerFor, requestId } from '../support/functions'
import { importEntry, insertMembers } from '../support/members'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()
const clock = (instant: number) => setClock(emulator.url, instant)
const PRICE = 990
const BALANCE = 100_000

async function newMember() {
  const [made] = await insertMembers(url, 1, { label: 'unpaid', opening: (memberId) => [importEntry(memberId, { balance: BALANCE })] })
  return { ...made, caller: callerFor(url, made.openid) }
}

let saleSequence = 0
/** A live sale around the business clock's `now`. */
async function insertSale(now: number): Promise<string> {
  const _id = `fs-clock-${process.pid}-${++saleSequence}`
  await db()
    .collection('flash_sales')
    .add({
      _id,
      title: `测试秒杀 ${saleSequence}`,
      image: null,
      price: PRICE,
      listPrice: 2990,
      stock: 5,
      sold: 0,
      perMemberLimit: 1,
      startAt: new Date(now - MINUTE),
      endAt: new Date(now + 3 * HOUR),
      fulfilment: ['pickup', 'delivery'],
    })
  return _id
}

async function saleDoc(saleId: string) {
  return (await db().collection('flash_sales').doc(saleId).get()).data[0] as { stock: number; sold: number }
}

async function orderDoc(orderId: string) {
  return (await db().collection('orders').doc(orderId).get()).data[0] as { status: string; stockReleasedAt: Date | null; transitions: { to: string; by: string }[] }
}

/** A member with stored value buys one unit of a new sale at `at`; answers the order and when it must be paid by. */
async function unpaidOrder(at: number) {
  await clock(at)
  const member = await newMember()
  const saleId = await insertSale(at)
  const { order } = await member.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId, requestId: requestId() })
  const payBy = new Date(order.payBy as string).getTime()
  expect(payBy - new Date(order.createdAt).getTime()).toBe(15 * MINUTE)
  expect(payBy - at).toBeGreaterThanOrEqual(15 * MINUTE)
  expect(payBy - at).toBeLessThan(15 * MINUTE + 5 * SECOND)
  expect(await saleDoc(saleId)).toMatchObject({ stock: 4, sold: 1 })
  return { member, saleId, orderId: order.orderId, payBy }
}

describe('an unpaid order is released at 15 minutes', () => {
  test('the minute timer a second before leaves it; from 15:00 it cancels it and the unit goes back, once', async () => {
    const { member, saleId, orderId, payBy } = await unpaidOrder(shanghai('2031-05-20T12:00:00'))

    await clock(payBy - SECOND)
    expect(await fireTimer(url, 'minutely')).toMatchObject({ ok: true })
    expect(await orderDoc(orderId)).toMatchObject({ status: 'created', stockReleasedAt: null })
    expect(await saleDoc(saleId)).toMatchObject({ stock: 4, sold: 1 })

    await clock(payBy)
    await fireTimer(url, 'minutely')
    const released = await orderDoc(orderId)
    expect(released.status).toBe('cancelled')
    expect(released.stockReleasedAt).not.toBeNull()
    expect(released.transitions.at(-1)).toMatchObject({ to: 'cancelled', by: 'system' })
    expect(await saleDoc(saleId)).toMatchObject({ stock: 5, sold: 0 })

    await clock(payBy + MINUTE)
    await fireTimer(url, 'minutely')
    expect(await saleDoc(saleId)).toMatchObject({ stock: 5, sold: 0 })
    expectRefused(await member.caller.call('order', 'pay', { orderId, method: 'balance', requestId: requestId() }), 'FAILED_PRECONDITION')
    expect((await memberDoc(url, member.memberId)).balance).toBe(BALANCE)
    await expectInvariants(url, member.memberId)
  })

  test('from 15:00 the order cannot be paid any more, by stored value or WeChat Pay, even before the timer has run', async () => {
    const { member, saleId, orderId, payBy } = await unpaidOrder(shanghai('2031-05-21T12:00:00'))

    await clock(payBy)
    expectRefused(await member.caller.call('order', 'pay', { orderId, method: 'balance', requestId: requestId() }), 'FAILED_PRECONDITION', 'ORDER_EXPIRED')
    expectRefused(await member.caller.call('order', 'pay', { orderId, method: 'wechat', requestId: requestId() }), 'FAILED_PRECONDITION', 'ORDER_EXPIRED')
    expect((await memberDoc(url, member.memberId)).balance).toBe(BALANCE)
    expect(await orderDoc(orderId)).toMatchObject({ status: 'created' })

    await fireTimer(url, 'minutely')
    expect(await orderDoc(orderId)).toMatchObject({ status: 'cancelled' })
    expect(await saleDoc(saleId)).toMatchObject({ stock: 5, sold: 0 })
    await expectInvariants(url, member.memberId)
  })

  test('paid by stored value a second before 15:00: paid, and the timer at 15:00 leaves it and its unit', async () => {
    const { member, saleId, orderId, payBy } = await unpaidOrder(shanghai('2031-05-22T12:00:00'))

    await clock(payBy - SECOND)
    const { order } = await member.caller.ok('order', 'pay', { orderId, method: 'balance', requestId: requestId() })
    expect(order.status).toBe('paid')
    await clock(payBy)
    await fireTimer(url, 'minutely')
    expect(await orderDoc(orderId)).toMatchObject({ status: 'paid', stockReleasedAt: null })
    expect(await saleDoc(saleId)).toMatchObject({ stock: 4, sold: 1 })
    expect((await memberDoc(url, member.memberId)).balance).toBe(BALANCE - PRICE)
    await expectInvariants(url, member.memberId)
  })
})

describe('a WeChat payment that arrives after the release is refunded exactly once', () => {
  test('WeChat Pay started at 14:00, the order released at 15:00, then paid: refunded once however often WeChat Pay notifies', async () => {
    const { member, saleId, orderId, payBy } = await unpaidOrder(shanghai('2031-06-10T20:00:00'))

    await clock(payBy - MINUTE)
    const started = await member.caller.ok('order', 'pay', { orderId, method: 'wechat', requestId: requestId() })
    expect(started.payment).not.toBeNull()
    const outTradeNo = started.order.outTradeNo as string

    await clock(payBy)
    await fireTimer(url, 'minutely')
    expect(await orderDoc(orderId)).toMatchObject({ status: 'cancelled' })
    expect(await saleDoc(saleId)).toMatchObject({ stock: 5, sold: 0 })

    // the payer confirms on the sheet still open; WeChat Pay notifies three times, and again later
    const paidAt = await clock(payBy + 2 * MINUTE)
    expect(await payNotify(emulator.url, outTradeNo, { times: 3 })).toMatchObject({ status: 200 })
    await clock(payBy + 10 * MINUTE)
    expect(await payNotify(emulator.url, outTradeNo)).toMatchObject({ status: 200 })
    await fireTimer(url, 'minutely')

    const refunds = (await payRefunds(emulator.url)).filter((refund) => refund.outTradeNo === outTradeNo)
    expect(refunds).toEqual([expect.objectContaining({ refundFee: PRICE })])
    expect(refunds[0].at - paidAt).toBeGreaterThanOrEqual(0) // refunded when it arrived, on WeChat Pay's (the business) clock
    expect(refunds[0].at - paidAt).toBeLessThan(5 * SECOND)
    expect(await orderDoc(orderId)).toMatchObject({ status: 'cancelled' })
    expect(await saleDoc(saleId)).toMatchObject({ stock: 5, sold: 0 })
    expect((await memberDoc(url, member.memberId)).balance).toBe(BALANCE)
    await expectInvariants(url, member.memberId)
  })

  test('WeChat Pay paid a second before 15:00: the order is paid, nothing is refunded, the timer leaves it', async () => {
    const { member, saleId, orderId, payBy } = await unpaidOrder(shanghai('2031-06-11T20:00:00'))

    await clock(payBy - MINUTE)
    const started = await member.caller.ok('order', 'pay', { orderId, method: 'wechat', requestId: requestId() })
    const outTradeNo = started.order.outTradeNo as string
    await clock(payBy - SECOND)
    expect(await payNotify(emulator.url, outTradeNo, { times: 2 })).toMatchObject({ status: 200 })
    expect(await orderDoc(orderId)).toMatchObject({ status: 'paid' })

    await clock(payBy)
    await fireTimer(url, 'minutely')
    expect(await orderDoc(orderId)).toMatchObject({ status: 'paid', stockReleasedAt: null })
    expect(await saleDoc(saleId)).toMatchObject({ stock: 4, sold: 1 })
    expect((await payRefunds(emulator.url)).filter((refund) => refund.outTradeNo === outTradeNo)).toEqual([])
    await expectInvariants(url, member.memberId)
  })
})
