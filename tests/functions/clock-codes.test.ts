/**
 * Lifetimes on the business clock, through the real SDK and the emulator: the counter token
 * (10 minutes), the member code (60 s), a coupon's code and a pickup code (5 minutes) are
 * accepted just before their end and refused from it on; a refund gives a coupon back as unused
 * only while it is still valid, and as expired after.
 *
 * A clerk's failed scans are limited per minute of the same clock.
 *
 * Every test sets the clock itself (the emulator's clock is shared by the file), and the refused
 * code is shown to be refused for its age alone: unused, and accepted once the clock is back.
 */
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { counterTokenExpiry, expectRefused, fireTimer, MINUTE, SECOND, setClock, shanghai } from '../support/clock'
import { expectInvariants, joinMember, memberDoc, requestId, scan, XUHUI_CLERK_OPENID, type TestMember } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor } from '../support/functions'
import { seedEntries } from '../support/members'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()
const clerk = () => callerFor(url, DEMO_CLERK_OPENID)
const clock = (instant: number) => setClock(emulator.url, instant)

async function couponDoc(couponId: string) {
  const { data } = await db().collection('coupons').doc(couponId).get()
  return data[0] as { status: string; usedIn: string | null; validTo: Date }
}

async function welcomeCoupon(member: TestMember) {
  const { coupons } = await member.caller.ok('coupon', 'wallet', { status: 'unused' })
  const welcome = coupons.find((coupon) => coupon.templateId === 'welcome-10')
  if (!welcome) throw new Error('a new member holds the welcome coupon')
  return welcome
}

async function purchasesOf(memberId: string) {
  return (await db().collection('ledger').where({ memberId, kind: 'purchase' }).get()).data as { _id: string }[]
}

describe('the counter token lasts 10 minutes', () => {
  test('accepted at 9:59 after the scan, refused from 10:00 for a purchase, a top-up and the coupon list; nothing is recorded', async () => {
    const scannedAt = await clock(shanghai('2031-03-10T09:00:00'))
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const expiresAt = counterTokenExpiry(counterToken)
    expect(expiresAt - scannedAt).toBeGreaterThanOrEqual(10 * MINUTE)
    expect(expiresAt - scannedAt).toBeLessThan(10 * MINUTE + 5 * SECOND)

    await clock(scannedAt + 9 * MINUTE + 59 * SECOND)
    await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 10000, payMethod: 'cash', requestId: requestId() })

    await clock(expiresAt)
    const before = await memberDoc(url, member.memberId)
    expectRefused(await clerk().call('staff', 'recordPurchase', { counterToken, amount: 20000, payMethod: 'cash', requestId: requestId() }), 'FAILED_PRECONDITION', 'COUNTER_TOKEN_EXPIRED')
    expectRefused(await clerk().call('staff', 'topup', { counterToken, amount: 50000, payMethod: 'cash', requestId: requestId() }), 'FAILED_PRECONDITION', 'COUNTER_TOKEN_EXPIRED')
    expectRefused(await clerk().call('staff', 'memberCoupons', { counterToken }), 'FAILED_PRECONDITION', 'COUNTER_TOKEN_EXPIRED')
    const after = await memberDoc(url, member.memberId)
    expect({ points: after.points, balance: after.balance }).toEqual({ points: before.points, balance: before.balance })
    expect(await purchasesOf(member.memberId)).toHaveLength(1)

    // a new scan at the same moment gives a token that works
    const fresh = await scan(url, member)
    await clerk().ok('staff', 'recordPurchase', { counterToken: fresh, amount: 20000, payMethod: 'cash', requestId: requestId() })
    expect(await purchasesOf(member.memberId)).toHaveLength(2)
    await expectInvariants(url, member.memberId)
  })
})

describe('a reload of the counter page while the token lives (staff.resumeCounter)', () => {
  test('the same member, read afresh, under the same token until it ends; not for another clerk, nor once ended, nor for a card reported lost meanwhile', async () => {
    const scannedAt = await clock(shanghai('2031-03-10T14:00:00'))
    const member = await joinMember(url)
    const { code } = await member.caller.ok('member', 'card', {})
    const verified = await clerk().ok('staff', 'verifyMemberCode', { code })
    expect(Date.parse(verified.counterTokenExpiresAt)).toBe(counterTokenExpiry(verified.counterToken))
    await clerk().ok('staff', 'recordPurchase', { counterToken: verified.counterToken, amount: 10000, payMethod: 'cash', requestId: requestId() })

    await clock(scannedAt + 9 * MINUTE)
    const resumed = await clerk().ok('staff', 'resumeCounter', { counterToken: verified.counterToken })
    expect(resumed).toMatchObject({ counterToken: verified.counterToken, counterTokenExpiresAt: verified.counterTokenExpiresAt, member: { memberNo: member.memberNo } })
    expect(resumed.member.points).toBe(verified.member.points + 100) // read afresh: the purchase's points are there
    expect(resumed.lastVisits).toHaveLength(1)
    // a resume is no new scan: nothing is logged at the counter for it
    expect((await db().collection('counter_log').where({ memberId: member.memberId, action: 'verify' }).count()).total).toBe(1)

    expectRefused(await callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'resumeCounter', { counterToken: verified.counterToken }), 'FAILED_PRECONDITION', 'COUNTER_TOKEN_EXPIRED')
    await member.caller.ok('member', 'bindPhone', { code: 'resume-phone' })
    await member.caller.ok('member', 'reportLoss', { requestId: requestId() })
    expectRefused(await clerk().call('staff', 'resumeCounter', { counterToken: verified.counterToken }), 'FAILED_PRECONDITION', 'CARD_LOST')
    await member.caller.ok('member', 'cancelLoss', { phoneCode: 'resume-phone', requestId: requestId() })
    await clock(Date.parse(verified.counterTokenExpiresAt))
    expectRefused(await clerk().call('staff', 'resumeCounter', { counterToken: verified.counterToken }), 'FAILED_PRECONDITION', 'COUNTER_TOKEN_EXPIRED')
  })
})

describe('the member code lasts 60 seconds', () => {
  test('refused from its expiry (and not used up by the refusal), accepted a second before it, then used', async () => {
    const shownAt = await clock(shanghai('2031-03-11T10:00:00'))
    const member = await joinMember(url)
    const { code, expiresAt } = await member.caller.ok('member', 'card', {})
    expect(expiresAt - shownAt).toBeGreaterThanOrEqual(60 * SECOND)
    expect(expiresAt - shownAt).toBeLessThan(65 * SECOND)

    await clock(expiresAt)
    expectRefused(await clerk().call('staff', 'verifyMemberCode', { code }), 'FAILED_PRECONDITION', 'CODE_EXPIRED')
    expect((await db().collection('scan_codes').doc(code).get()).data[0]).not.toHaveProperty('usedAt')

    await clock(expiresAt - SECOND)
    const verified = await clerk().ok('staff', 'verifyMemberCode', { code })
    expect(verified.member.memberNo).toBe(member.memberNo)
    expectRefused(await clerk().call('staff', 'verifyMemberCode', { code }), 'FAILED_PRECONDITION', 'CODE_USED')
  })
})

describe("a coupon's code lasts 5 minutes", () => {
  test('refused from its expiry with the coupon left unused, redeemed a second before it', async () => {
    const shownAt = await clock(shanghai('2031-03-12T11:00:00'))
    const member = await joinMember(url)
    const coupon = await welcomeCoupon(member)
    const { code, expiresAt } = await member.caller.ok('coupon', 'code', { couponId: coupon.couponId })
    expect(expiresAt - shownAt).toBeGreaterThanOrEqual(5 * MINUTE)
    expect(expiresAt - shownAt).toBeLessThan(5 * MINUTE + 5 * SECOND)

    await clock(expiresAt)
    expectRefused(await clerk().call('staff', 'redeemCoupon', { couponCode: code, requestId: requestId() }), 'FAILED_PRECONDITION', 'CODE_EXPIRED')
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'unused', usedIn: null })

    await clock(expiresAt - SECOND)
    const redeemed = await clerk().ok('staff', 'redeemCoupon', { couponCode: code, requestId: requestId() })
    expect(redeemed.coupon).toMatchObject({ couponId: coupon.couponId, status: 'used' })
  })
})

describe('a pickup code lasts 5 minutes', () => {
  test('refused from its expiry with the order still waiting, handed over a second before it', async () => {
    const shownAt = await clock(shanghai('2031-03-13T15:00:00'))
    const member = await joinMember(url)
    await seedEntries(url, member.memberId, [{ points: 300, at: new Date(shownAt) }])
    const { order } = await member.caller.ok('mall', 'exchange', { productId: 'p-lipbalm', fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: requestId() })
    expect(order.status).toBe('paid')
    const { code, expiresAt } = await member.caller.ok('order', 'pickupCode', { orderId: order.orderId })
    expect(expiresAt - shownAt).toBeGreaterThanOrEqual(5 * MINUTE)
    expect(expiresAt - shownAt).toBeLessThan(5 * MINUTE + 5 * SECOND)

    await clock(expiresAt)
    expectRefused(await clerk().call('staff', 'collectPickup', { pickupCode: code, requestId: requestId() }), 'FAILED_PRECONDITION', 'CODE_EXPIRED')
    expect((await member.caller.ok('order', 'detail', { orderId: order.orderId })).order.status).toBe('paid')

    await clock(expiresAt - SECOND)
    const handed = await clerk().ok('staff', 'collectPickup', { pickupCode: code, requestId: requestId() })
    expect(handed.order.status).toBe('fulfilled')
    await expectInvariants(url, member.memberId)
  })
})

describe('a refund gives the coupon back only while it is valid', () => {
  /** A member who joins at `joinAt` and buys ¥150 at once with the welcome coupon (满100减10). */
  async function purchaseWithCoupon(joinAt: number) {
    await clock(joinAt)
    const member = await joinMember(url)
    const coupon = await welcomeCoupon(member)
    const counterToken = await scan(url, member)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 15000, payMethod: 'cash', couponId: coupon.couponId, requestId: requestId() })
    expect(receipt).toMatchObject({ payable: 14000, coupon: { couponId: coupon.couponId } })
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'used', usedIn: receipt.purchaseId })
    return { member, coupon, purchaseId: receipt.purchaseId, validTo: new Date(coupon.validTo).getTime() }
  }

  test('refunded a minute before the end of its validity: the coupon is unused again, and a purchase can still use it', async () => {
    const { member, coupon, purchaseId, validTo } = await purchaseWithCoupon(shanghai('2031-04-01T10:00:00'))
    expect(validTo).toBe(shanghai('2031-05-01T00:00:00')) // 30 days from the day of claim, to the end of the last day

    await clock(validTo - MINUTE)
    await clerk().ok('staff', 'refundPurchase', { purchaseId, requestId: requestId() })
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'unused', usedIn: null })
    expect((await member.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons.map((view) => view.couponId)).toContain(coupon.couponId)

    await clock(validTo - 30 * SECOND)
    const counterToken = await scan(url, member)
    const again = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 15000, payMethod: 'cash', couponId: coupon.couponId, requestId: requestId() })
    expect(again.receipt.coupon?.couponId).toBe(coupon.couponId)
    await expectInvariants(url, member.memberId)
  })

  test('refunded when its validity has ended: the coupon becomes expired, not unused, and no purchase can use it', async () => {
    const { member, coupon, purchaseId, validTo } = await purchaseWithCoupon(shanghai('2031-06-01T10:00:00'))

    await clock(validTo)
    const { refund } = await clerk().ok('staff', 'refundPurchase', { purchaseId, requestId: requestId() })
    expect(refund.purchaseId).toBe(purchaseId)
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'expired', usedIn: null })
    expect((await member.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons.map((view) => view.couponId)).not.toContain(coupon.couponId)
    expect((await member.caller.ok('coupon', 'wallet', { status: 'expired' })).coupons.map((view) => view.couponId)).toContain(coupon.couponId)

    const counterToken = await scan(url, member)
    expectRefused(
      await clerk().call('staff', 'recordPurchase', { counterToken, amount: 15000, payMethod: 'cash', couponId: coupon.couponId, requestId: requestId() }),
      'FAILED_PRECONDITION',
      'COUPON_EXPIRED',
    )
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'expired', usedIn: null })
    await expectInvariants(url, member.memberId)
  })

  test('refunded a second before its validity ends: unused; the same refund retried changes nothing more', async () => {
    const { member, coupon, purchaseId, validTo } = await purchaseWithCoupon(shanghai('2031-08-01T10:00:00'))
    await clock(validTo - SECOND)
    const request = requestId()
    await clerk().ok('staff', 'refundPurchase', { purchaseId, requestId: request })
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'unused', usedIn: null })
    // the retry, once the validity has ended, neither refunds again nor turns the coupon expired
    await clock(validTo + MINUTE)
    await clerk().ok('staff', 'refundPurchase', { purchaseId, requestId: request })
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'unused', usedIn: null })
    expect((await db().collection('ledger').where({ memberId: member.memberId, kind: 'refund' }).get()).data).toHaveLength(1)
    await expectInvariants(url, member.memberId)
  })
})

describe("a clerk's failed scans are limited per minute", () => {
  /** A well-formed member code no one was shown (the registry's codes are random; this one is not among them). */
  const unknownCode = (n: number) => `8${String(n).padStart(17, '0')}`

  test('ten unknown codes sent at once are each refused as invalid; from the eleventh every code of that minute is refused, then the next minute works', async () => {
    const minuteStart = await clock(shanghai('2031-03-14T09:00:00'))
    const member = await joinMember(url)
    const coupon = await welcomeCoupon(member)

    // typing slips of the wrong length are not guesses: they are refused without counting
    for (let n = 0; n < 15; n++) expectRefused(await clerk().call('staff', 'verifyMemberCode', { code: unknownCode(n).slice(1) }), 'INVALID_ARGUMENT', 'CODE_INVALID')
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, n) => clerk().call('staff', 'verifyMemberCode', { code: unknownCode(n) })))
    const reasons = guesses.map((answer) => (answer.ok ? 'accepted' : answer.error.reason))
    expect(reasons.filter((reason) => reason === 'CODE_INVALID')).toHaveLength(10)
    expect(reasons.filter((reason) => reason === 'TOO_MANY_FAILED_SCANS')).toHaveLength(2)

    await clock(minuteStart + 50 * SECOND)
    const { code } = await member.caller.ok('member', 'card', {})
    const { code: couponCode } = await member.caller.ok('coupon', 'code', { couponId: coupon.couponId })
    expectRefused(await clerk().call('staff', 'verifyMemberCode', { code }), 'FAILED_PRECONDITION', 'TOO_MANY_FAILED_SCANS')
    expectRefused(await clerk().call('staff', 'redeemCoupon', { couponCode, requestId: requestId() }), 'FAILED_PRECONDITION', 'TOO_MANY_FAILED_SCANS')
    expect(await couponDoc(coupon.couponId)).toMatchObject({ status: 'unused' })

    // the refusal used nothing up, and another clerk is not limited by this one's failures
    const other = callerFor(url, XUHUI_CLERK_OPENID)
    expect((await other.ok('staff', 'verifyMemberCode', { code })).member.memberNo).toBe(member.memberNo)

    await clock(minuteStart + MINUTE)
    const redeemed = await clerk().ok('staff', 'redeemCoupon', { couponCode, requestId: requestId() })
    expect(redeemed.coupon.status).toBe('used')
  })

  test('codes found (even expired) are not failures: twenty good scans in a minute all work', async () => {
    const minuteStart = shanghai('2031-03-15T09:00:00')
    await clock(minuteStart - 2 * MINUTE)
    const member = await joinMember(url)
    const { code: expired } = await member.caller.ok('member', 'card', {})
    await clock(minuteStart)
    for (let n = 0; n < 12; n++) expectRefused(await clerk().call('staff', 'verifyMemberCode', { code: expired }), 'FAILED_PRECONDITION', 'CODE_EXPIRED')
    for (let n = 0; n < 8; n++) {
      const { code } = await member.caller.ok('member', 'card', {})
      expect((await clerk().ok('staff', 'verifyMemberCode', { code })).member.memberNo).toBe(member.memberNo)
    }
  })
})

describe('the registry of codes is trimmed nightly', () => {
  test('codes and failure counts a day past their expiry are removed; younger ones stay', async () => {
    const shownAt = await clock(shanghai('2031-03-20T12:00:00'))
    const member = await joinMember(url)
    const { code: old } = await member.caller.ok('member', 'card', {})
    expectRefused(await clerk().call('staff', 'verifyMemberCode', { code: `8${'0'.repeat(17)}` }), 'INVALID_ARGUMENT', 'CODE_INVALID')
    await clock(shownAt + 86_400_000 + 2 * MINUTE)
    const { code: recent } = await member.caller.ok('member', 'card', {})
    const night = await fireTimer(url, 'nightly')
    expect(night.ok).toBe(true)
    expect((night.data as unknown as { scanCodes: { removed: number } }).scanCodes.removed).toBeGreaterThanOrEqual(2)
    expect((await db().collection('scan_codes').doc(old).get()).data).toEqual([])
    expect((await db().collection('scan_codes').doc(recent).get()).data).toHaveLength(1)
    expect((await db().collection('scan_failures').where({ staffId: 'st-li' }).get()).data.filter((doc) => new Date((doc as { expiresAt: Date }).expiresAt).getTime() < shownAt + MINUTE * 2)).toEqual(
      [],
    )
  })
})
