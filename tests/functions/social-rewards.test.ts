/**
 * Rewards for what a friend does, through the real SDK: a friend who joins through a share, claims
 * a friend coupon the member passed on, or joins a group rewards the sharer, once per rule, sharer
 * and friend, within the sharer's daily cap and the campaign's budget, under concurrency, retries
 * and crashes; never the share itself.
 */
import { memberIdFor } from '../../domain/membership/member'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { fireTimer } from '../support/clock'
import { expectInvariants } from '../support/counter'
import { AT_STORE, adminApp, callerFor, invocations, moveClock, newOpenid, planCrash, requestId, type FunctionCaller } from '../support/functions'
import { importEntry, insertMembers, seedEntries } from '../support/members'

const DAY = 86_400_000

interface Sharer {
  caller: FunctionCaller
  memberId: string
  code: string
}

function harness(rewards: Record<string, unknown>[]) {
  let emulator: TestEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: true })
    // before any function runs, so no instance holds the seed's rules
    await adminApp(emulator.adminUrl).database().collection('config').doc('social').update({ rewards })
  })
  afterAll(() => emulator?.stop())
  const url = () => emulator.adminUrl
  const db = () => adminApp(url()).database()
  async function sharer(nickname = '分享达人'): Promise<Sharer> {
    const openid = newOpenid('sharer')
    const caller = callerFor(url(), openid)
    await caller.ok('member', 'join', { nickname })
    const { code } = await caller.ok('social', 'share', { target: { type: 'invite' } })
    return { caller, memberId: memberIdFor(openid), code }
  }
  /** A new WeChat user opens the share and joins. */
  async function friendJoins(through: Sharer, nickname = '新朋友'): Promise<{ caller: FunctionCaller; memberId: string; openid: string }> {
    const openid = newOpenid('friend')
    const caller = callerFor(url(), openid, 60_000)
    await caller.ok('social', 'open', { scene: `s.${through.code}` })
    await caller.ok('member', 'join', { nickname })
    return { caller, memberId: memberIdFor(openid), openid }
  }
  async function rewardsOf(memberId: string) {
    const { data } = await db().collection('ledger').where({ memberId, kind: 'reward' }).limit(1000).get()
    return data as { _id: string; points: number; description: string; detail: { friendId: string } }[]
  }
  async function budget(ruleId: string) {
    return (await db().collection('reward_budgets').doc(ruleId).get()).data[0] as { granted: number; pending: Record<string, unknown> } | undefined
  }
  return { url, db, sharer, friendJoins, rewardsOf, budget, emulator: () => emulator }
}

const JOINED = { id: 'invite-join', name: '好友入会奖励', outcome: 'joined', points: 50, dailyCapPerSharer: 3, budget: 1000 }

describe('a friend who joins through a share rewards the sharer', () => {
  const { sharer, friendJoins, rewardsOf, budget, url, emulator, db } = harness([
    JOINED,
    { id: 'coupon-claim', name: '好友领券奖励', outcome: 'couponClaimed', points: 5, dailyCapPerSharer: 10, budget: 1000 },
  ])

  test('one reward of the rule, on the sharer, for the friend; the member sees the rules and the reward', async () => {
    const amy = await sharer('Amy')
    const friend = await friendJoins(amy, '小林同学')
    const rewards = await rewardsOf(amy.memberId)
    expect(rewards).toEqual([expect.objectContaining({ _id: `reward:invite-join:${amy.memberId}:${friend.memberId}`, points: 50, description: '好友入会奖励' })])
    expect(await rewardsOf(friend.memberId)).toEqual([])
    await expectInvariants(url(), amy.memberId)
    const invites = await amy.caller.ok('social', 'invites', {})
    expect(invites.rules).toEqual(
      expect.arrayContaining([
        { name: '好友入会奖励', outcome: 'joined', withinDays: null, lockedDays: null, points: 50, couponName: null, dailyCap: 3, budget: 1000, endsAt: null },
        expect.objectContaining({ outcome: 'couponClaimed', points: 5 }),
      ]),
    )
    expect(invites.rewards).toEqual({ points: 50, locked: 0, latest: [{ description: '好友入会奖励', points: 50, state: 'credited', until: null, friend: '小**学', at: expect.any(String) }] })
    expect((await budget('invite-join'))?.pending).toEqual({})
  })

  test('sharing and opening give nothing; a join without an invitation gives nothing', async () => {
    const amy = await sharer()
    const visitor = callerFor(url(), newOpenid('looker'))
    await visitor.ok('social', 'open', { scene: `s.${amy.code}` })
    await callerFor(url(), newOpenid('plain')).ok('member', 'join', {})
    await fireTimer(url(), 'minutely')
    expect(await rewardsOf(amy.memberId)).toEqual([])
  })

  test("the sharer's daily cap holds exactly under 6 friends joining at once; the next business day gives again", async () => {
    const amy = await sharer()
    const friends = await Promise.all(Array.from({ length: 6 }, () => friendJoins(amy)))
    expect(await rewardsOf(amy.memberId)).toHaveLength(3)
    expect(friends).toHaveLength(6)
    await moveClock(emulator().url, { advanceMs: DAY })
    await friendJoins(amy)
    expect(await rewardsOf(amy.memberId)).toHaveLength(4)
    await moveClock(emulator().url, { reset: true })
    await expectInvariants(url(), amy.memberId)
    // the capped ones gave their budget slots back: every slot taken is a reward given
    const given = (await db().collection('ledger').where({ kind: 'reward', 'detail.ruleId': 'invite-join' }).count()).total
    expect(await budget('invite-join')).toMatchObject({ granted: given, pending: {} })
  })

  test('a friend coupon claimed through the member’s share rewards the member who passed it on', async () => {
    const amy = await sharer()
    await amy.caller.ok('coupon', 'claim', { templateId: 'friend-30', requestId: requestId() })
    const { share } = await amy.caller.ok('coupon', 'shareFriendCoupon', { templateId: 'friend-30' })
    const friend = callerFor(url(), newOpenid('claimer'))
    await friend.ok('member', 'join', {})
    await friend.ok('coupon', 'claimFriendCoupon', { shareId: share.shareId, requestId: requestId() })
    await fireTimer(url(), 'minutely')
    const rewards = await rewardsOf(amy.memberId)
    expect(rewards.map((entry) => [entry.description, entry.points])).toEqual([['好友领券奖励', 5]])
    // the same friend claiming again (another request) earns nothing more
    await friend.call('coupon', 'claimFriendCoupon', { shareId: share.shareId, requestId: requestId() })
    await fireTimer(url(), 'minutely')
    expect(await rewardsOf(amy.memberId)).toHaveLength(1)
    expect((await db().collection('reward_budgets').doc('coupon-claim').get()).data[0]).toMatchObject({ granted: 1, pending: {} })
  })

  test('a join that dies anywhere in its rewarding is finished once by the minute timer', async () => {
    const amy = await sharer()
    // a join through a share without crashing, to learn how many calls it makes
    const first = await friendJoins(amy)
    const calls = (await invocations(emulator().url, { function: 'member', openid: first.openid, last: 1 }))[0].adminCalls
    const friends: string[] = [first.memberId]
    for (let afterCalls = calls - 8; afterCalls < calls; afterCalls++) {
      const openid = newOpenid('crash')
      const caller = callerFor(url(), openid)
      await caller.ok('social', 'open', { scene: `s.${amy.code}` })
      await planCrash(emulator().url, { functionName: 'member', action: 'join', afterCalls })
      // a crash in the delivery after the join leaves it to the timer; one before it fails the join, which the app retries
      if (!(await caller.call('member', 'join', {})).ok) await caller.ok('member', 'join', {})
      const [crashed] = await invocations(emulator().url, { function: 'member', openid, last: 2 })
      expect(crashed.fault).toBeTruthy()
      friends.push(memberIdFor(openid))
      await moveClock(emulator().url, { advanceMs: DAY }) // a new day each, so the cap is not what stops them
    }
    await fireTimer(url(), 'minutely')
    await fireTimer(url(), 'minutely')
    await moveClock(emulator().url, { reset: true })
    const rewards = await rewardsOf(amy.memberId)
    expect(rewards.map((entry) => entry.detail.friendId).sort()).toEqual([...friends].sort())
    expect((await budget('invite-join'))?.pending).toEqual({})
    await expectInvariants(url(), amy.memberId)
  })
})

describe('the campaign budget', () => {
  const { sharer, friendJoins, rewardsOf, budget } = harness([{ ...JOINED, dailyCapPerSharer: 100, budget: 4 }])

  test('4 rewards in all, whoever the sharers, under 9 friends joining at once', async () => {
    const sharers = await Promise.all([sharer(), sharer(), sharer()])
    await Promise.all(sharers.flatMap((one) => [friendJoins(one), friendJoins(one), friendJoins(one)]))
    const given = (await Promise.all(sharers.map((one) => rewardsOf(one.memberId)))).flat()
    expect(given).toHaveLength(4)
    expect(await budget('invite-join')).toMatchObject({ granted: 4, pending: {} })
  })
})

describe('a rule that gives a coupon', () => {
  const { sharer, friendJoins, db } = harness([{ ...JOINED, points: 0, couponTemplateId: 'welcome-10' }])

  test('the sharer gets the coupon once, with a zero-point ledger entry naming the friend', async () => {
    const amy = await sharer()
    const friend = await friendJoins(amy)
    const { data } = await db().collection('coupons').where({ memberId: amy.memberId, source: 'reward' }).get()
    expect(data).toEqual([expect.objectContaining({ templateId: 'welcome-10', requestId: `invite-join:${friend.memberId}` })])
    const entry = (await db().collection('ledger').doc(`reward:invite-join:${amy.memberId}:${friend.memberId}`).get()).data[0]
    expect(entry).toMatchObject({ points: 0, kind: 'reward' })
    const shown = await amy.caller.ok('social', 'invites', {})
    expect(shown.rules).toEqual([expect.objectContaining({ couponName: expect.stringMatching(/\S/), points: 0 })])
  })
})

describe('a friend who joins a group', () => {
  const { sharer, rewardsOf, url } = harness([{ id: 'group-join', name: '好友拼团奖励', outcome: 'groupJoined', points: 20, dailyCapPerSharer: 10, budget: 100 }])

  test('rewards whom the friend is bound to (not the leader, not the friend); a second group of the same friend, after 1,000 newer entries on the sharer, gives nothing more', async () => {
    const amy = await sharer('Amy')
    const [leader, friend, leader2] = (await insertMembers(url(), 3, { label: 'grp', opening: (memberId) => [importEntry(memberId, { balance: 100_000 })] })).map((made) => ({
      ...made,
      caller: callerFor(url(), made.openid),
    }))
    // the friend, already a member, opens Amy's share of the group page: bound to Amy
    await friend.caller.ok('social', 'open', { scene: `s.${amy.code}` })
    const seat = (caller: FunctionCaller, groupId: string) => caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId, payMethod: 'balance', requestId: requestId() })
    const open = (caller: FunctionCaller) => caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId: 'gb-cleanser-3', payMethod: 'balance', requestId: requestId() })
    const first = await open(leader.caller)
    await seat(friend.caller, first.group.groupId)
    await fireTimer(url(), 'minutely')
    expect((await rewardsOf(amy.memberId)).map((entry) => [entry.description, entry.points, entry.detail.friendId])).toEqual([['好友拼团奖励', 20, friend.memberId]])
    expect(await rewardsOf(leader.memberId)).toEqual([])
    // the reward's id is refused at any age, not within a window of recent entries
    await seedEntries(
      url(),
      amy.memberId,
      Array.from({ length: 1000 }, (_, i) => ({ points: 1, at: new Date(Date.now() + i) })),
    )
    const second = await open(leader2.caller)
    await seat(friend.caller, second.group.groupId)
    await fireTimer(url(), 'minutely')
    expect(await rewardsOf(amy.memberId)).toHaveLength(1)
    await expectInvariants(url(), amy.memberId)
  })
})
