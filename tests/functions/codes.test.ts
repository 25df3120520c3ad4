/**
 * Single-use codes are canonicalised once (domain/codes.ts) and the same form is verified and
 * remembered: a scanner's newline, a keyboard wedge's tab or CR LF, a pasted space do not make a
 * used member code, coupon code or pickup code new, and a counter token reads the same with them.
 */
import { canonicalCode } from '../../domain/shared/codes'
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { MALL_PRODUCTS } from '../../emulator/seed-mall'
import { expectInvariants, joinMember, memberDoc, requestId, scan, XUHUI_CLERK_OPENID, type TestMember } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()
const clerk = () => callerFor(url, DEMO_CLERK_OPENID)
let sequence = 0
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}${++sequence}`

/** What scanners, keyboard wedges and pastes add around a code. */
const VARIANTS: [string, (code: string) => string][] = [
  ['trailing space', (code) => `${code} `],
  ['leading space', (code) => ` ${code}`],
  ['trailing newline', (code) => `${code}\n`],
  ['tab before, CR LF after', (code) => `\t${code}\r\n`],
  ['ideographic space and zero-width space', (code) => `\u3000${code}\u200B`],
  ['byte-order mark', (code) => `\uFEFF${code}`],
]

describe('canonicalCode', () => {
  test.each(VARIANTS)('%s is dropped', (_name, decorate) => {
    expect(canonicalCode(decorate('10000001.abc.XYZ_-'))).toBe('10000001.abc.XYZ_-')
  })

  test('the inside and the case of a code are kept (signatures are case-sensitive base64url)', () => {
    expect(canonicalCode('CP.aB c.Xy')).toBe('CP.aB c.Xy')
    expect(canonicalCode('cp.ab.xy')).not.toBe(canonicalCode('CP.AB.XY'))
  })
})

async function usedMemberCodes(code: string) {
  const { data } = await db().collection('used_member_codes').where({ staffId: 'st-li' }).limit(1000).get()
  return (data as { _id: string }[]).filter((doc) => canonicalCode(doc._id) === code)
}

describe('member codes', () => {
  test.each(VARIANTS)('after a scan, the same code with %s is refused as used; no second counter token', async (_name, decorate) => {
    const member = await joinMember(url)
    const { code } = await member.caller.ok('member', 'card', {})
    await clerk().ok('staff', 'verifyMemberCode', { code })
    const again = await clerk().call('staff', 'verifyMemberCode', { code: decorate(code) })
    expect(again).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(again.ok ? again.data : null).toBeNull()
    const other = await callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'verifyMemberCode', { code: decorate(code) })
    expect(other).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect((await usedMemberCodes(code)).map((doc) => doc._id)).toEqual([code])
  })

  test.each(VARIANTS)('a code first scanned with %s is remembered canonical: the plain code is then refused', async (_name, decorate) => {
    const member = await joinMember(url)
    const { code } = await member.caller.ok('member', 'card', {})
    const first = await clerk().ok('staff', 'verifyMemberCode', { code: decorate(code) })
    expect(first.member.memberNo).toBe(member.memberNo)
    expect(await clerk().call('staff', 'verifyMemberCode', { code })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect((await usedMemberCodes(code)).map((doc) => doc._id)).toEqual([code])
  })

  test('whitespace inside a code is not dropped: it is a malformed code', async () => {
    const member = await joinMember(url)
    const { code } = await member.caller.ok('member', 'card', {})
    const broken = `${code.slice(0, 5)} ${code.slice(5)}`
    expect(await clerk().call('staff', 'verifyMemberCode', { code: broken })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'code' }] } })
    expect((await clerk().ok('staff', 'verifyMemberCode', { code })).member.memberNo).toBe(member.memberNo)
  })
})

async function giftCoupon(member: TestMember): Promise<string> {
  const id = uniqueId('tcode')
  await db()
    .collection('coupon_templates')
    .add({
      _id: id,
      name: '到店礼',
      kind: 'gift',
      value: 0,
      threshold: 0,
      giftName: '面膜小样',
      validity: { type: 'relative', days: 30 },
      perMemberLimit: 1,
      total: 1000,
      taken: 0,
      usableIn: ['store'],
      claimable: true,
      onShelf: true,
    })
  const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
  return coupon.couponId
}

describe('coupon codes', () => {
  test.each(VARIANTS)('after a redemption, the same coupon code with %s is refused; the coupon is used once', async (_name, decorate) => {
    const member = await joinMember(url)
    const couponId = await giftCoupon(member)
    const { code } = await member.caller.ok('coupon', 'code', { couponId })
    const first = await clerk().ok('staff', 'redeemCoupon', { couponCode: decorate(code), requestId: requestId() })
    expect(first.coupon).toMatchObject({ couponId, status: 'used' })
    for (const variant of [code, ...VARIANTS.map(([, other]) => other(code))]) {
      expect(await clerk().call('staff', 'redeemCoupon', { couponCode: variant, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    }
    const { data } = await db().collection('counter_log').where({ memberId: member.memberId, action: 'redeemCoupon' }).get()
    expect(data).toHaveLength(1)
  })
})

describe('pickup codes', () => {
  test.each(VARIANTS)('after a hand-over, the same pickup code with %s is refused; the order is handed over once', async (_name, decorate) => {
    const productId = uniqueId('pcode')
    await db()
      .collection('products')
      .add({ ...MALL_PRODUCTS[0], _id: productId, points: 40, stock: 10, holds: [] })
    const member = await joinMember(url)
    const { order } = await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: requestId() })
    const { code } = await member.caller.ok('order', 'pickupCode', { orderId: order.orderId })
    const handed = await clerk().ok('staff', 'collectPickup', { pickupCode: decorate(code), requestId: requestId() })
    expect(handed.order.status).toBe('fulfilled')
    for (const variant of [code, ...VARIANTS.map(([, other]) => other(code))]) {
      expect(await clerk().call('staff', 'collectPickup', { pickupCode: variant, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    }
    const { data } = await db().collection('counter_log').where({ memberId: member.memberId, action: 'collectPickup' }).get()
    expect(data).toHaveLength(1)
    await expectInvariants(url, member.memberId)
  })
})

describe('counter tokens', () => {
  test.each(VARIANTS)('a counter token with %s reads as the same token: same member, and a retried purchase is recorded once', async (_name, decorate) => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    expect(await clerk().ok('staff', 'memberCoupons', { counterToken: decorate(counterToken) })).toEqual(await clerk().ok('staff', 'memberCoupons', { counterToken }))
    const rid = requestId()
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken: decorate(counterToken), amount: 10000, payMethod: 'cash', requestId: rid })
    expect(receipt.memberNo).toBe(member.memberNo)
    const replay = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 10000, payMethod: 'cash', requestId: rid })
    expect(replay.receipt.purchaseId).toBe(receipt.purchaseId)
    expect((await memberDoc(url, member.memberId)).points).toBe(100 + receipt.pointsEarned)
    await expectInvariants(url, member.memberId)
  })

  test("a decorated token is still only this clerk's", async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    expect(await callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'memberCoupons', { counterToken: `${counterToken}\n` })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
  })
})
