/**
 * Codes are canonicalised once (domain/shared/codes.ts) and the same form is looked up and
 * remembered: a scanner's newline, a keyboard wedge's tab or CR LF, spaces typed between the
 * groups of four, full-width digits do not make a used member code, coupon code or pickup code
 * new, and a counter token reads the same with whitespace around it.
 */
import { canonicalCode, canonicalScanCode } from '../../domain/shared/codes'
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
  ['spaces between the groups of four, as typed', (code) => code.replace(/(\d{4})(?=\d)/g, '$1 ')],
  ['full-width digits from a Chinese keyboard', (code) => code.replace(/\d/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0))],
]

/** Variants of a counter token: whitespace around it only (it is not typed). */
const AROUND = VARIANTS.slice(0, 6)

describe('canonicalScanCode', () => {
  test.each(VARIANTS)('%s is dropped', (_name, decorate) => {
    expect(canonicalScanCode(decorate('812345678901234567'))).toBe('812345678901234567')
  })

  test('nothing else changes: a letter or a dash stays and the code is malformed', () => {
    expect(canonicalScanCode('8123-4567')).toBe('8123-4567')
    expect(canonicalScanCode('8123a4567')).toBe('8123a4567')
  })
})

describe('canonicalCode (counter tokens)', () => {
  test.each(AROUND)('%s is dropped', (_name, decorate) => {
    expect(canonicalCode(decorate('10000001.abc.XYZ_-'))).toBe('10000001.abc.XYZ_-')
  })

  test('the inside and the case of a token are kept (signatures are case-sensitive base64url)', () => {
    expect(canonicalCode('CP.aB c.Xy')).toBe('CP.aB c.Xy')
    expect(canonicalCode('cp.ab.xy')).not.toBe(canonicalCode('CP.AB.XY'))
  })
})

/** The registry's record of a shown code: used once, by whom. */
async function registered(code: string) {
  const { data } = await db().collection('scan_codes').doc(code).get()
  return data as { _id: string; kind: string; usedBy?: string }[]
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
    expect(await registered(code)).toEqual([expect.objectContaining({ _id: code, kind: 'member', usedBy: 'st-li' })])
  })

  test.each(VARIANTS)('a code first scanned with %s is remembered canonical: the plain code is then refused', async (_name, decorate) => {
    const member = await joinMember(url)
    const { code } = await member.caller.ok('member', 'card', {})
    const first = await clerk().ok('staff', 'verifyMemberCode', { code: decorate(code) })
    expect(first.member.memberNo).toBe(member.memberNo)
    expect(await clerk().call('staff', 'verifyMemberCode', { code })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await registered(code)).toEqual([expect.objectContaining({ _id: code, usedBy: 'st-li' })])
  })

  test('a dash or a letter inside a code makes it malformed (nothing looked up); the code itself still works', async () => {
    const member = await joinMember(url)
    const { code } = await member.caller.ok('member', 'card', {})
    for (const broken of [`${code.slice(0, 4)}-${code.slice(4)}`, `${code.slice(0, 17)}O`]) {
      expect(await clerk().call('staff', 'verifyMemberCode', { code: broken })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'CODE_INVALID', fields: [{ path: 'code' }] } })
    }
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
    expect(code).toMatch(/^7\d{17}$/)
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
    expect(code).toMatch(/^9\d{17}$/)
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
  test.each(AROUND)('a counter token with %s reads as the same token: same member, and a retried purchase is recorded once', async (_name, decorate) => {
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
