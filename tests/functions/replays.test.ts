/**
 * Replays at any age: every kind of ledger entry is applied at most once, however many newer
 * entries came after it and whether or not it is still in the member's outbox. Tried as an
 * attacker would: the clerk who refunds twice, the retry with another amount or coupon, the
 * repeated payment notification, the job run again.
 */
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { businessDay } from '../../domain/shared/time'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { expectInvariants, joinMember, MANAGER_OPENID, memberDoc, requestId, scan } from '../support/counter'
import { mapLimit } from '../../backend/platform/jobs'
import { fireTimer, payNotify } from '../support/clock'
import { addCouponTemplate } from '../support/coupons'
import { AT_STORE, adminApp, callerFor, moveClock } from '../support/functions'

let emulator: TestEmulator
let url: string
const MINUTE = 60_000
/** 09:00 in Shanghai on the next day that is still ahead: the whole test stays within one business day. */
function nextShanghaiMorning(): number {
  const morning = Date.parse(`${businessDay(new Date())}T09:00:00+08:00`)
  return morning > Date.now() ? morning : morning + 24 * 60 * MINUTE
}
const BASE = nextShanghaiMorning()

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
  await moveClock(emulator.url, { set: BASE })
})
afterAll(() => emulator?.stop())

const clerk = () => callerFor(url, DEMO_CLERK_OPENID)
const manager = () => callerFor(url, MANAGER_OPENID)
const console_ = () => callerFor(url, null)
const db = () => adminApp(url).database()
const timer = (TriggerName: 'nightly' | 'minutely') => fireTimer(url, TriggerName)

async function notify(outTradeNo: string): Promise<void> {
  const { status } = await payNotify(emulator.url, outTradeNo)
  if (status !== 200) throw new Error(`notify answered ${status}`)
}

async function entriesOf(memberId: string, kind: string): Promise<{ _id: string }[]> {
  return (await db().collection('ledger').where({ memberId, kind }).limit(1000).get()).data as { _id: string }[]
}

describe('every entry kind is applied at most once, at any age', () => {
  test('after 1,000 newer entries and a trimmed outbox, every replay changes nothing', async () => {
    const member = await joinMember(url)
    const today = businessDay(new Date(BASE))
    await member.caller.ok('member', 'updateProfile', { birthday: `1992-${today.slice(5)}` })
    let counterToken = await scan(url, member)
    const managerToken = await scan(url, member, MANAGER_OPENID)

    // The first attempts, one of each kind.
    const checkinRequest = requestId()
    const checkin = await member.caller.ok('loyalty', 'checkin', { requestId: checkinRequest })
    const topupRequest = requestId()
    const topup = await clerk().ok('staff', 'topup', { counterToken, amount: 50000, payMethod: 'cash', requestId: topupRequest })
    const purchaseRequest = requestId()
    const purchase = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 20000, payMethod: 'balance', requestId: purchaseRequest })
    const refundRequest = requestId()
    const refund = await clerk().ok('staff', 'refundPurchase', { purchaseId: purchase.receipt.purchaseId, requestId: refundRequest })
    const adjustRequest = requestId()
    const adjust = await manager().ok('staff', 'adjustPoints', { counterToken: managerToken, points: 1000, reason: '补录积分', requestId: adjustRequest })
    const batch = { batchId: `replay-${Date.now().toString(36)}`, memberIds: [member.memberId], points: 7, reason: '会员日赠送' }
    expect(await console_().ok('admin', 'bulkGrant', batch)).toMatchObject({ granted: 1, alreadyGranted: 0 })
    await timer('nightly')
    expect(await entriesOf(member.memberId, 'grant')).toHaveLength(2) // the batch and the birthday points
    const selfTopup = await member.caller.ok('payment', 'createTopup', { amount: 10000, requestId: requestId() })
    await notify(selfTopup.orderId)
    const exchangeRequest = requestId()
    const exchange = await member.caller.ok('mall', 'exchange', { productId: 'p-lipbalm', fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: exchangeRequest })
    await member.caller.ok('order', 'cancel', { orderId: exchange.order.orderId, requestId: requestId() })
    const group = await member.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId: 'gb-sunscreen-2', payMethod: 'balance', requestId: requestId() })
    const groupFailsAt = await moveClock(emulator.url, { advanceMs: 6 * 60 * MINUTE + 2 * MINUTE })
    await timer('minutely')
    expect((await member.caller.ok('order', 'detail', { orderId: group.order.orderId })).order.status).toBe('refunded')
    // Points earned this year expire at the end of next year: run the expiry on that night, then come back.
    const expiryNight = Date.parse(`${Number(today.slice(0, 4)) + 2}-01-01T00:30:00+08:00`)
    const expire = async (back: number) => {
      await moveClock(emulator.url, { set: expiryNight })
      const run = await console_().ok('admin', 'runPointsExpiry', {})
      await moveClock(emulator.url, { set: back })
      return run
    }
    expect((await expire(groupFailsAt + MINUTE)).expiredPoints).toBeGreaterThan(0)
    await expectInvariants(url, member.memberId)

    // 1,000 newer entries; every 200 the clock moves on and the nightly trim lets the outbox go.
    let clock = groupFailsAt + MINUTE
    for (let round = 0; round < 5; round++) {
      counterToken = await scan(url, member)
      await mapLimit(
        Array.from({ length: 200 }, (_, i) => i),
        8,
        async () => {
          await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 100, payMethod: 'cash', requestId: requestId() })
        },
      )
      clock = await moveClock(emulator.url, { set: clock + 35 * MINUTE })
      expect((await console_().ok('admin', 'trimOutboxes', {})).trimmed).toBeGreaterThanOrEqual(200)
    }
    const before = await memberDoc(url, member.memberId)
    // only the expiry, dated on that later night, is still too young to leave the outbox
    expect(Object.keys(before.outbox)).toEqual([expect.stringMatching(/^expire:/)])

    // Every replay: the first answer or a refusal, and nothing moves.
    counterToken = await scan(url, member)
    expect(await member.caller.call('loyalty', 'checkin', { requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } })
    expect((await member.caller.ok('loyalty', 'checkin', { requestId: checkinRequest })).entry).toEqual(checkin.entry)
    expect(await clerk().ok('staff', 'topup', { counterToken, amount: 99900, payMethod: 'wechat', requestId: topupRequest })).toEqual(topup)
    const replayedPurchase = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 1, payMethod: 'cash', requestId: purchaseRequest })
    expect(replayedPurchase.receipt).toMatchObject({ purchaseId: purchase.receipt.purchaseId, payable: 20000, payMethod: 'balance', pointsEarned: purchase.receipt.pointsEarned })
    expect(await clerk().call('staff', 'refundPurchase', { purchaseId: purchase.receipt.purchaseId, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } })
    expect((await clerk().ok('staff', 'refundPurchase', { purchaseId: purchase.receipt.purchaseId, requestId: refundRequest })).refund).toMatchObject({
      refundId: refund.refund.refundId,
      balanceReturned: 20000,
    })
    const managerAgain = await scan(url, member, MANAGER_OPENID)
    expect(await manager().ok('staff', 'adjustPoints', { counterToken: managerAgain, points: -5, reason: '再调一次', requestId: adjustRequest })).toMatchObject({
      entryId: adjust.entryId,
      change: 1000,
    })
    expect(await console_().ok('admin', 'bulkGrant', batch)).toMatchObject({ granted: 0, alreadyGranted: 1 })
    await timer('nightly')
    await notify(selfTopup.orderId)
    expect((await member.caller.ok('order', 'cancel', { orderId: exchange.order.orderId, requestId: requestId() })).order.status).toBe('refunded')
    const exchangeAgain = await member.caller.ok('mall', 'exchange', { productId: 'p-mask-box', fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: exchangeRequest })
    expect(exchangeAgain.order).toMatchObject({ orderId: exchange.order.orderId, status: 'refunded', points: exchange.order.points })
    expect(await member.caller.call('order', 'pay', { orderId: group.order.orderId, method: 'balance', requestId: requestId() })).toMatchObject({ ok: false })
    await timer('minutely')
    expect((await expire(clock)).expiredPoints).toBe(0)

    const after = await memberDoc(url, member.memberId)
    expect({ points: after.points, pointsOwed: after.pointsOwed, balance: after.balance, growth: after.growth }).toEqual({
      points: before.points,
      pointsOwed: before.pointsOwed,
      balance: before.balance,
      growth: before.growth,
    })
    expect(await entriesOf(member.memberId, 'checkin')).toHaveLength(1)
    expect(await entriesOf(member.memberId, 'refund')).toHaveLength(1)
    expect(await entriesOf(member.memberId, 'topup')).toHaveLength(2)
    expect(await entriesOf(member.memberId, 'adjust')).toHaveLength(1)
    expect(await entriesOf(member.memberId, 'grant')).toHaveLength(2)
    expect(await entriesOf(member.memberId, 'expire')).toHaveLength(1)
    expect(await entriesOf(member.memberId, 'order')).toHaveLength(2) // the exchange's points, the group's cash part
    expect(await entriesOf(member.memberId, 'order-refund')).toHaveLength(2)
    await expectInvariants(url, member.memberId)
  }, 180_000)
})

describe('a retried purchase answers the first receipt before touching anything', () => {
  const claimableTemplate = () => addCouponTemplate(url, { name: '无门槛减20', threshold: 0, total: 100, usableIn: ['store'] })

  test('the same request id with another coupon gets the first receipt, and the second coupon stays unused', async () => {
    const member = await joinMember(url)
    const { coupon: second } = await member.caller.ok('coupon', 'claim', { templateId: await claimableTemplate(), requestId: requestId() })
    const { coupons } = await member.caller.ok('coupon', 'wallet', { status: 'unused' })
    const welcome = coupons.find((coupon) => coupon.templateId === 'welcome-10')
    if (!welcome) throw new Error('a new member holds the welcome coupon')
    const counterToken = await scan(url, member)
    const request = requestId()
    const first = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 15000, payMethod: 'cash', couponId: welcome.couponId, requestId: request })
    const retry = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 9000, payMethod: 'cash', couponId: second.couponId, requestId: request })
    expect(retry.receipt).toEqual(first.receipt)
    const wallet = await member.caller.ok('coupon', 'wallet', { status: 'unused' })
    expect(wallet.coupons.map((coupon) => coupon.couponId)).toContain(second.couponId)
    expect(wallet.coupons.map((coupon) => coupon.couponId)).not.toContain(welcome.couponId)
    await expectInvariants(url, member.memberId)
  })

  test('two attempts of one request at once, each with its own coupon: one purchase, and only its coupon is used', async () => {
    const member = await joinMember(url)
    const { coupon: second } = await member.caller.ok('coupon', 'claim', { templateId: await claimableTemplate(), requestId: requestId() })
    const welcome = (await member.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons.find((coupon) => coupon.templateId === 'welcome-10')
    if (!welcome) throw new Error('a new member holds the welcome coupon')
    const counterToken = await scan(url, member)
    const request = requestId()
    const answers = await Promise.all(
      [welcome.couponId, second.couponId].map((couponId) => clerk().ok('staff', 'recordPurchase', { counterToken, amount: 15000, payMethod: 'cash', couponId, requestId: request })),
    )
    expect(answers[1].receipt).toEqual(answers[0].receipt)
    const usedCoupon = answers[0].receipt.coupon?.couponId
    const unused = (await member.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons.map((coupon) => coupon.couponId)
    expect(unused).toEqual([welcome.couponId, second.couponId].filter((id) => id !== usedCoupon))
    expect(await entriesOf(member.memberId, 'purchase')).toHaveLength(1)
    await expectInvariants(url, member.memberId)
  })
})
