/**
 * Rewards for a friend's purchases, through the real SDK and the minute timer: the sharer the
 * friend is bound to gets the first-purchase and repurchase rewards locked (待入账) for the return
 * window; the sweep credits them once after it; a refund inside the window cancels them, one after
 * it claws them back (points owed when spent); an unlock racing a refund ends each lock exactly
 * once; a sweep that dies is finished by the next one.
 */
import { memberIdFor } from '../../domain/membership/member'
import { DEMO_CLERK_OPENID, DEMO_MANAGER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { fireTimer } from '../support/clock'
import { expectInvariants, memberDoc } from '../support/counter'
import { seedEntries } from '../support/members'
import { AT_STORE, adminApp, callerFor, invocations, moveClock, newOpenid, planCrash, requestId, type FunctionCaller } from '../support/functions'

const DAY = 86_400_000
const FIRST = { id: 'first-buy', name: '好友首单奖励', outcome: 'firstPurchase', points: 100, couponTemplateId: 'welcome-10', withinDays: 30, dailyCapPerSharer: 20, budget: 1000 }
const AGAIN = { id: 'buy-again', name: '好友复购奖励', outcome: 'repurchase', points: 30, dailyCapPerSharer: 20, budget: 1000 }

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  // before any function runs, so no instance holds the seed's rules
  await adminApp(emulator.adminUrl)
    .database()
    .collection('config')
    .doc('social')
    .update({ rewards: [FIRST, AGAIN], returnWindowDays: 7 })
})
afterAll(() => emulator?.stop())
afterEach(() => moveClock(emulator.url, { reset: true }))

const url = () => emulator.adminUrl
const db = () => adminApp(url()).database()
const clerk = () => callerFor(url(), DEMO_CLERK_OPENID)

interface Person {
  caller: FunctionCaller
  memberId: string
}

async function sharer(): Promise<Person & { code: string }> {
  const openid = newOpenid('sharer')
  const caller = callerFor(url(), openid)
  await caller.ok('member', 'join', { nickname: '分享达人' })
  const { code } = await caller.ok('social', 'share', { target: { type: 'invite' } })
  return { caller, memberId: memberIdFor(openid), code }
}

async function friendOf(through: { code: string }, nickname = '新朋友'): Promise<Person> {
  const openid = newOpenid('friend')
  const caller = callerFor(url(), openid)
  await caller.ok('social', 'open', { scene: `s.${through.code}` })
  await caller.ok('member', 'join', { nickname })
  return { caller, memberId: memberIdFor(openid) }
}

/** The friend buys at the counter (¥amount, cash); answers the purchase's id. */
async function buys(friend: Person, amount = 20_000): Promise<string> {
  const { code } = await friend.caller.ok('member', 'card', {})
  const { counterToken } = await clerk().ok('staff', 'verifyMemberCode', { code })
  const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount, payMethod: 'cash', requestId: requestId() })
  return receipt.purchaseId
}

const refund = (purchaseId: string) => clerk().call('staff', 'refundPurchase', { purchaseId, requestId: requestId() })
const minute = () => fireTimer(url(), 'minutely')
const later = (ms: number) => moveClock(emulator.url, { advanceMs: ms })

async function entries(memberId: string, kind: string) {
  const { data } = await db().collection('ledger').where({ memberId, kind }).limit(1000).get()
  return data as { _id: string; points: number; locked?: number; description: string; detail?: Record<string, unknown> }[]
}

async function rewardCoupons(memberId: string) {
  return (await db().collection('coupons').where({ memberId, source: 'reward' }).count()).total
}

describe('a friend’s first purchase', () => {
  test('locks 100 points on the sharer (待入账, not spendable); 7 days later the sweep credits them and the coupon, once', async () => {
    const amy = await sharer()
    const friend = await friendOf(amy, '小林同学')
    const before = await memberDoc(url(), amy.memberId)
    await buys(friend)
    await minute()
    const locked = await memberDoc(url(), amy.memberId)
    expect(locked).toMatchObject({ points: before.points, pointsLocked: 100 })
    expect(Object.values(locked.locks ?? {})).toEqual([{ points: 100, until: expect.any(Date) }])
    expect(await rewardCoupons(amy.memberId)).toBe(0)
    await expectInvariants(url(), amy.memberId)
    const shown = await amy.caller.ok('social', 'invites', {})
    expect(shown.rewards).toMatchObject({ points: 0, locked: 100, latest: [{ description: '好友首单奖励', points: 100, state: 'locked', until: expect.any(String), friend: '小**学' }] })
    expect(shown.friends).toEqual([expect.objectContaining({ stage: 'purchased' })])
    expect(shown.rules).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'firstPurchase', withinDays: 30, lockedDays: 7, points: 100 })]))
    // locked points do not pay: a manager cannot take more than the spendable points
    const { code } = await amy.caller.ok('member', 'card', {})
    const manager = callerFor(url(), DEMO_MANAGER_OPENID)
    const { counterToken } = await manager.ok('staff', 'verifyMemberCode', { code })
    expect((await manager.call('staff', 'adjustPoints', { counterToken, points: -(before.points + 100), reason: '测试扣减', requestId: requestId() })).ok).toBe(false)

    await later(6 * DAY)
    await minute()
    expect(await memberDoc(url(), amy.memberId)).toMatchObject({ points: before.points, pointsLocked: 100 })

    await later(DAY + 60_000)
    await minute()
    await minute()
    expect(await memberDoc(url(), amy.memberId)).toMatchObject({ points: before.points + 100, pointsLocked: 0, locks: {} })
    expect((await entries(amy.memberId, 'reward-unlock')).map((entry) => [entry.points, entry.locked, entry.description])).toEqual([[100, -100, '好友首单奖励入账']])
    expect(await rewardCoupons(amy.memberId)).toBe(1)
    expect((await amy.caller.ok('social', 'invites', {})).rewards).toMatchObject({ points: 100, locked: 0, latest: [{ state: 'credited', until: null }] })
    await expectInvariants(url(), amy.memberId)
  })

  test('the second purchase rewards 复购, the third nothing; the friend’s stage follows', async () => {
    const amy = await sharer()
    const friend = await friendOf(amy)
    await buys(friend)
    await buys(friend)
    await buys(friend)
    await minute()
    expect((await entries(amy.memberId, 'reward')).map((entry) => [entry.description, entry.locked]).sort()).toEqual([
      ['好友复购奖励', 30],
      ['好友首单奖励', 100],
    ])
    expect(await memberDoc(url(), amy.memberId)).toMatchObject({ pointsLocked: 130 })
    expect((await amy.caller.ok('social', 'invites', {})).friends).toEqual([expect.objectContaining({ stage: 'repurchased' })])
  })

  test('a refund inside the window cancels the locked reward; the sweep after it credits nothing; a second refund changes nothing', async () => {
    const amy = await sharer()
    const friend = await friendOf(amy)
    const before = await memberDoc(url(), amy.memberId)
    const purchaseId = await buys(friend)
    await minute()
    await later(3 * DAY)
    expect((await refund(purchaseId)).ok).toBe(true)
    await minute()
    expect(await memberDoc(url(), amy.memberId)).toMatchObject({ points: before.points, pointsLocked: 0, locks: {} })
    expect(await entries(amy.memberId, 'reward-cancel')).toHaveLength(1)
    expect((await refund(purchaseId)).ok).toBe(false)
    await later(5 * DAY)
    await minute()
    await minute()
    expect(await entries(amy.memberId, 'reward-unlock')).toEqual([])
    expect(await memberDoc(url(), amy.memberId)).toMatchObject({ points: before.points, pointsLocked: 0 })
    expect(await rewardCoupons(amy.memberId)).toBe(0)
    expect((await amy.caller.ok('social', 'invites', {})).rewards.latest).toEqual([expect.objectContaining({ state: 'cancelled' })])
    await expectInvariants(url(), amy.memberId)
  })

  test('a refund after the window claws the points back; spent, they become points owed', async () => {
    const amy = await sharer()
    const friend = await friendOf(amy)
    const purchaseId = await buys(friend)
    await minute()
    await later(8 * DAY)
    await minute()
    const credited = await memberDoc(url(), amy.memberId)
    expect(credited.pointsLocked).toBe(0)
    // Amy spends every point she has
    const { code } = await amy.caller.ok('member', 'card', {})
    const manager = callerFor(url(), DEMO_MANAGER_OPENID)
    const { counterToken } = await manager.ok('staff', 'verifyMemberCode', { code })
    await manager.ok('staff', 'adjustPoints', { counterToken, points: -credited.points, reason: '兑换礼品', requestId: requestId() })
    expect((await refund(purchaseId)).ok).toBe(true)
    await minute()
    expect(await memberDoc(url(), amy.memberId)).toMatchObject({ points: 0, pointsOwed: 100, pointsLocked: 0 })
    expect((await entries(amy.memberId, 'reward-clawback')).map((entry) => [entry.points, entry.description])).toEqual([[-100, '好友首单奖励扣回（好友退款）']])
    expect((await amy.caller.ok('social', 'invites', {})).rewards).toMatchObject({ points: 0, latest: [{ state: 'clawedBack' }] })
    await minute()
    expect(await entries(amy.memberId, 'reward-clawback')).toHaveLength(1)
    await expectInvariants(url(), amy.memberId)
  })

  test('nothing for a purchase past the window after joining, for an unbound buyer, or for the sharer’s own purchase', async () => {
    const amy = await sharer()
    const late = await friendOf(amy)
    await later(31 * DAY)
    await buys(late)
    const unbound = callerFor(url(), newOpenid('plain'))
    await unbound.ok('member', 'join', {})
    await buys({ caller: unbound, memberId: '' })
    await buys(amy)
    await minute()
    expect(await entries(amy.memberId, 'reward')).toEqual([])
  })
})

describe('a friend’s first purchase online', () => {
  test('a group-buy paid from stored value is the first purchase; the group failing refunds it, which cancels the locked reward', async () => {
    const amy = await sharer()
    const friend = await friendOf(amy)
    await seedEntries(url(), friend.memberId, [{ balance: 100_000, at: new Date() }])
    const { group } = await friend.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId: 'gb-cleanser-3', payMethod: 'balance', requestId: requestId() })
    await minute()
    const [reward] = await entries(amy.memberId, 'reward')
    expect(reward).toMatchObject({ locked: 100, description: '好友首单奖励', detail: { purchaseRef: expect.stringMatching(/^order:/) } })
    await db()
      .collection('groups')
      .doc(group.groupId)
      .update({ expiresAt: new Date(Date.now() - 1000) })
    await minute()
    await minute()
    expect(await memberDoc(url(), amy.memberId)).toMatchObject({ pointsLocked: 0, locks: {} })
    expect(await entries(amy.memberId, 'reward-cancel')).toHaveLength(1)
    await expectInvariants(url(), amy.memberId)
  })
})

describe('an unlock racing a refund', () => {
  test('8 locks unlocked by the sweep while their purchases are refunded at that moment: each ends once, and nothing is left to the sharer', async () => {
    const amy = await sharer()
    const before = await memberDoc(url(), amy.memberId)
    const friends = await Promise.all(Array.from({ length: 8 }, () => friendOf(amy)))
    const purchases = await Promise.all(friends.map((friend) => buys(friend)))
    await minute()
    expect((await memberDoc(url(), amy.memberId)).pointsLocked).toBe(800)
    await later(7 * DAY + 60_000)
    await Promise.all([minute(), ...purchases.map(async (purchaseId) => expect((await refund(purchaseId)).ok).toBe(true)), minute()])
    await minute()
    await minute()
    const after = await memberDoc(url(), amy.memberId)
    expect(after).toMatchObject({ points: before.points, pointsOwed: 0, pointsLocked: 0, locks: {} })
    const [unlocked, cancelled, clawedBack] = await Promise.all(['reward-unlock', 'reward-cancel', 'reward-clawback'].map((kind) => entries(amy.memberId, kind)))
    expect(unlocked.length + cancelled.length).toBe(8)
    expect(clawedBack).toHaveLength(unlocked.length)
    const { data } = await db().collection('reward_locks').where({ sharerId: amy.memberId }).get()
    expect((data as { state: string }[]).map((lock) => lock.state).sort()).toEqual([...cancelled.map(() => 'cancelled'), ...clawedBack.map(() => 'clawedBack')].sort())
    await expectInvariants(url(), amy.memberId)
  })
})

describe('an unlock sweep that dies', () => {
  test('dying after each of its first 10 calls, the next sweep credits the points and the coupon exactly once', async () => {
    const amy = await sharer()
    let expected = (await memberDoc(url(), amy.memberId)).points
    for (let afterCalls = 1; afterCalls <= 10; afterCalls++) {
      await buys(await friendOf(amy))
      await minute()
      await later(8 * DAY)
      await planCrash(emulator.url, { functionName: 'jobs', eventKey: 'JobWorker', eventIncludes: 'reward-unlocks:', afterCalls })
      await minute()
      expect((await invocations(emulator.url, { function: 'jobs', last: 4 })).some((call) => call.fault)).toBe(true)
      await later(3 * 60_000) // past the crashed worker's lease
      await minute()
      expected += 100
      expect(await memberDoc(url(), amy.memberId)).toMatchObject({ points: expected, pointsLocked: 0, locks: {} })
      expect(await entries(amy.memberId, 'reward-unlock')).toHaveLength(afterCalls)
      expect(await rewardCoupons(amy.memberId)).toBe(afterCalls)
    }
    await expectInvariants(url(), amy.memberId)
  })
})
