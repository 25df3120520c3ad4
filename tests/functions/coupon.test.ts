import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { expectInvariants, joinMember, memberDoc, requestId, scan, XUHUI_CLERK_OPENID } from '../support/counter'
import { addCouponTemplate } from '../support/coupons'
import { adminApp, callerFor } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const clerk = () => callerFor(url, DEMO_CLERK_OPENID)

const template = (overrides: Record<string, unknown> = {}) => addCouponTemplate(url, overrides)

async function templateDoc(id: string) {
  return (await adminApp(url).database().collection('coupon_templates').doc(id).get()).data[0] as { taken: number; friendTaken?: number }
}

async function couponsOf(templateId: string) {
  return (await adminApp(url).database().collection('coupons').where({ templateId }).limit(1000).get()).data as { _id: string; memberId: string; status: string; sharerMemberId: string | null }[]
}

describe('claiming coupons (领券)', () => {
  test('the coupon centre lists claimable coupons; a claim gives a coupon valid for the configured days', async () => {
    const id = await template()
    const member = await joinMember(url)
    const { templates } = await member.caller.ok('coupon', 'centre', {})
    expect(templates.find((entry) => entry.templateId === id)).toMatchObject({ name: '满100减20', remaining: 1000, claimedByMe: 0, validityText: '领取后 30 天内有效' })
    const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    expect(coupon).toMatchObject({ status: 'unused', kind: 'cash', value: 2000, threshold: 10000, source: 'centre' })
    const days = (Date.parse(coupon.validTo) - Date.parse(coupon.validFrom)) / 86_400_000
    expect(days).toBeGreaterThan(29)
    expect(days).toBeLessThanOrEqual(30)
    expect((await member.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons.filter((entry) => entry.templateId === id).map((entry) => entry.couponId)).toEqual([coupon.couponId])
  })

  test('20 concurrent claims by one member with a limit of 2 give exactly 2 coupons and count 2 issued', async () => {
    const id = await template({ perMemberLimit: 2 })
    const member = await joinMember(url)
    const answers = await Promise.all(Array.from({ length: 20 }, () => member.caller.call('coupon', 'claim', { templateId: id, requestId: requestId() })))
    expect(answers.filter((answer) => answer.ok).length).toBe(2)
    expect(answers.filter((answer) => !answer.ok).every((answer) => !answer.ok && answer.error.code === 'FAILED_PRECONDITION')).toBe(true)
    expect((await couponsOf(id)).length).toBe(2)
    expect((await templateDoc(id)).taken).toBe(2)
  })

  test('60 members racing for 25 copies: exactly 25 coupons are issued', async () => {
    const id = await template({ total: 25 })
    const members = await Promise.all(Array.from({ length: 60 }, () => joinMember(url)))
    const answers = await Promise.all(members.map((member) => member.caller.call('coupon', 'claim', { templateId: id, requestId: requestId() })))
    expect(answers.filter((answer) => answer.ok).length).toBe(25)
    expect((await couponsOf(id)).length).toBe(25)
    expect((await templateDoc(id)).taken).toBe(25)
  })

  test('a retried claim with the same request id returns the same coupon', async () => {
    const id = await template({ perMemberLimit: 3 })
    const member = await joinMember(url)
    const input = { templateId: id, requestId: requestId() }
    const first = await member.caller.ok('coupon', 'claim', input)
    expect(await member.caller.ok('coupon', 'claim', input)).toEqual(first)
    expect((await couponsOf(id)).length).toBe(1)
  })

  test('a tier-only coupon is hidden from other tiers and refused to them', async () => {
    const id = await template({ audience: { tiers: ['diamond'], tags: [] } })
    const member = await joinMember(url)
    expect((await member.caller.ok('coupon', 'centre', {})).templates.map((entry) => entry.templateId)).not.toContain(id)
    expect(await member.caller.call('coupon', 'claim', { templateId: id, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })
})

describe('redeeming coupons at the counter (核销)', () => {
  test('a purchase with a coupon takes it off after the tier discount, marks the coupon used, and a refund restores it', async () => {
    const id = await template()
    const member = await joinMember(url)
    const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    const counterToken = await scan(url, member)
    expect((await clerk().ok('staff', 'memberCoupons', { counterToken })).coupons.filter((entry) => entry.templateId === id).map((entry) => entry.couponId)).toEqual([coupon.couponId])
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 15000, payMethod: 'cash', couponId: coupon.couponId, requestId: requestId() })
    expect(receipt).toMatchObject({ payable: 13000, discount: 2000, coupon: { couponId: coupon.couponId, name: '满100减20', discount: 2000 }, pointsEarned: 130 })
    expect((await member.caller.ok('coupon', 'wallet', { status: 'used' })).coupons.filter((entry) => entry.templateId === id).map((entry) => entry.couponId)).toEqual([coupon.couponId])
    await clerk().ok('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })
    expect((await member.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons.filter((entry) => entry.templateId === id).map((entry) => entry.couponId)).toEqual([coupon.couponId])
    await expectInvariants(url, member.memberId)
  })

  test('below the threshold the coupon is refused and stays unused; nothing is recorded', async () => {
    const id = await template()
    const member = await joinMember(url)
    const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    const counterToken = await scan(url, member)
    const answer = await clerk().call('staff', 'recordPurchase', { counterToken, amount: 9900, payMethod: 'cash', couponId: coupon.couponId, requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect((await member.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons.filter((entry) => entry.templateId === id).length).toBe(1)
    expect((await memberDoc(url, member.memberId)).points).toBe(100)
  })

  test('two clerks redeeming one coupon at the same moment: one succeeds, the other gets FAILED_PRECONDITION', async () => {
    const id = await template({ kind: 'gift', value: 0, threshold: 0, giftName: '面膜小样', name: '到店礼' })
    const member = await joinMember(url)
    const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    const { code } = await member.caller.ok('coupon', 'code', { couponId: coupon.couponId })
    const answers = await Promise.all([
      clerk().call('staff', 'redeemCoupon', { couponCode: code, requestId: requestId() }),
      callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'redeemCoupon', { couponCode: code, requestId: requestId() }),
    ])
    expect(answers.filter((answer) => answer.ok).length).toBe(1)
    expect(answers.find((answer) => !answer.ok)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'COUPON_USED' } })
    expect((await couponsOf(id))[0].status).toBe('used')
  })

  test("a coupon cannot be used on another member's purchase", async () => {
    const id = await template()
    const owner = await joinMember(url)
    const other = await joinMember(url)
    const { coupon } = await owner.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    const counterToken = await scan(url, other)
    expect(await clerk().call('staff', 'recordPurchase', { counterToken, amount: 20000, payMethod: 'cash', couponId: coupon.couponId, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })
})

describe('friend coupons (朋友券)', () => {
  const friendCoupon = (perSharer: number, budget: number) => template({ name: '朋友券 满200减30', value: 3000, threshold: 20000, perMemberLimit: 1, friend: { perSharer, perFriend: 1, budget } })

  test("a friend sees the coupon shared by the member's nickname and claims their own copy; the sharer is recorded", async () => {
    const id = await friendCoupon(5, 100)
    const sharer = await joinMember(url)
    await sharer.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    const { share } = await sharer.caller.ok('coupon', 'shareFriendCoupon', { templateId: id })
    const friend = await joinMember(url)
    const seen = await friend.caller.ok('coupon', 'friendShare', { shareId: share.shareId })
    expect(seen.share).toMatchObject({ sharerNickname: expect.stringMatching(/^会员\d{4}$/), remainingForShare: 5, claimedByMe: false, mine: false })
    expect(share.mine).toBe(true)
    const { coupon } = await friend.caller.ok('coupon', 'claimFriendCoupon', { shareId: share.shareId, requestId: requestId() })
    expect(coupon).toMatchObject({ source: 'friend', sharedBy: seen.share.sharerNickname })
    const stored = (await couponsOf(id)).find((entry) => entry.memberId === friend.memberId)
    expect(stored?.sharerMemberId).toBe(sharer.memberId)
    expect(await sharer.caller.call('coupon', 'claimFriendCoupon', { shareId: share.shareId, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    // the sharer's own view of the link: hers, and counting the friend's claim
    expect((await sharer.caller.ok('coupon', 'friendShare', { shareId: share.shareId })).share).toMatchObject({ mine: true, remainingForShare: 4 })
  })

  test('under concurrent claims the per-sharer limit and the total budget hold', async () => {
    const id = await friendCoupon(4, 6)
    const sharers = await Promise.all([joinMember(url), joinMember(url)])
    const shares: string[] = []
    for (const sharer of sharers) {
      await sharer.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
      shares.push((await sharer.caller.ok('coupon', 'shareFriendCoupon', { templateId: id })).share.shareId)
    }
    const friends = await Promise.all(Array.from({ length: 20 }, () => joinMember(url)))
    const answers = await Promise.all(friends.map((friend, i) => friend.caller.call('coupon', 'claimFriendCoupon', { shareId: shares[i % 2], requestId: requestId() })))
    const friendCoupons = (await couponsOf(id)).filter((entry) => entry.sharerMemberId)
    expect(answers.filter((answer) => answer.ok).length).toBe(6)
    expect(friendCoupons.length).toBe(6)
    for (const sharer of sharers) expect(friendCoupons.filter((entry) => entry.sharerMemberId === sharer.memberId).length).toBeLessThanOrEqual(4)
    expect((await templateDoc(id)).friendTaken).toBe(6)
    expect(new Set(friendCoupons.map((entry) => entry.memberId)).size).toBe(6)
  })

  test('a wallet coupon says whether it is a friend coupon, frozen at claim; coupons claimed before it was recorded are not', async () => {
    const friendId = await friendCoupon(5, 100)
    const plainId = await template()
    const sharer = await joinMember(url)
    await sharer.caller.ok('coupon', 'claim', { templateId: friendId, requestId: requestId() })
    const { coupon: plain } = await sharer.caller.ok('coupon', 'claim', { templateId: plainId, requestId: requestId() })
    expect(plain.isFriendCoupon).toBe(false)
    const { share } = await sharer.caller.ok('coupon', 'shareFriendCoupon', { templateId: friendId })
    const friend = await joinMember(url)
    const { coupon: copy } = await friend.caller.ok('coupon', 'claimFriendCoupon', { shareId: share.shareId, requestId: requestId() })
    expect(copy).toMatchObject({ isFriendCoupon: true, source: 'friend' })

    const db = adminApp(url).database()
    const [own] = (await couponsOf(friendId)).filter((entry) => entry.memberId === sharer.memberId)
    expect(((await db.collection('coupons').doc(own._id).get()).data[0] as { terms: { friend?: boolean } }).terms.friend).toBe(true)
    // later template edits do not change a claimed coupon
    await db.collection('coupon_templates').doc(friendId).update({ friend: null })
    const wallet = async () => (await sharer.caller.ok('coupon', 'wallet', { status: 'unused' })).coupons
    expect((await wallet()).find((entry) => entry.templateId === friendId)).toMatchObject({ isFriendCoupon: true })
    expect((await wallet()).find((entry) => entry.templateId === plainId)).toMatchObject({ isFriendCoupon: false })
    // a coupon claimed before terms recorded `friend`
    await db.collection('coupons').doc(own._id).update({ 'terms.friend': db.command.remove() })
    expect((await wallet()).find((entry) => entry.templateId === friendId)).toMatchObject({ isFriendCoupon: false })
  })

  test('a friend who is not a member yet must join first (连接即会员)', async () => {
    const id = await friendCoupon(5, 100)
    const sharer = await joinMember(url)
    await sharer.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    const { share } = await sharer.caller.ok('coupon', 'shareFriendCoupon', { templateId: id })
    const visitor = callerFor(url, `o_visitor_${Date.now()}`)
    expect((await visitor.ok('coupon', 'friendShare', { shareId: share.shareId })).share.claimedByMe).toBe(false)
    expect(await visitor.call('coupon', 'claimFriendCoupon', { shareId: share.shareId, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await visitor.ok('member', 'join', {})
    expect(await visitor.call('coupon', 'claimFriendCoupon', { shareId: share.shareId, requestId: requestId() })).toMatchObject({ ok: true })
  })
})

describe('expiry reminders (through the messages port)', () => {
  test('the nightly job queues one reminder per coupon expiring within three days, however often it runs', async () => {
    const id = await template({ validity: { type: 'relative', days: 2 } })
    const later = await template({ validity: { type: 'relative', days: 20 } })
    const member = await joinMember(url)
    const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    await member.caller.ok('coupon', 'claim', { templateId: later, requestId: requestId() })
    const nightly = () => callerFor(url, null).raw('jobs', { Type: 'Timer', TriggerName: 'nightly', Time: new Date().toISOString() })
    await Promise.all([nightly(), nightly()])
    await nightly()
    const { data } = await adminApp(url).database().collection('messages').where({ memberId: member.memberId }).get()
    expect(data).toEqual([expect.objectContaining({ _id: `coupon-expiry:${coupon.couponId}`, template: 'coupon_expiry', status: 'pending', data: expect.objectContaining({ name: '满100减20' }) })])
  })
})

describe('coupon.codeStatus', () => {
  test('answers unused, then used once the clerk redeems the code; only the coupon’s own member may ask', async () => {
    const id = await addCouponTemplate(url, { kind: 'gift', value: 0, threshold: 0, giftName: '小样', usableIn: ['store'] })
    const member = await joinMember(url)
    const { coupon } = await member.caller.ok('coupon', 'claim', { templateId: id, requestId: requestId() })
    expect(await member.caller.ok('coupon', 'codeStatus', { couponId: coupon.couponId })).toEqual({ status: 'unused', usedAt: null })
    const { code } = await member.caller.ok('coupon', 'code', { couponId: coupon.couponId })
    await clerk().ok('staff', 'redeemCoupon', { couponCode: code, requestId: requestId() })
    expect(await member.caller.ok('coupon', 'codeStatus', { couponId: coupon.couponId })).toEqual({ status: 'used', usedAt: expect.any(String) })
    const other = await joinMember(url)
    expect(await other.caller.call('coupon', 'codeStatus', { couponId: coupon.couponId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'COUPON_NOT_FOUND' } })
  })
})
