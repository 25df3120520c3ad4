/**
 * Shares and attribution through the real SDK: share codes, opens, bindings under each bind mode,
 * the invitation a join fixes, self-binding and loops refused, and the calls each step costs.
 */
import { memberIdFor } from '../../domain/membership/member'
import type { PersonRecord } from '../../domain/social'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { fireTimer } from '../support/clock'
import { adminApp, callerFor, invocations, moveClock, newOpenid, type FunctionCaller } from '../support/functions'

const DAY = 86_400_000

interface Sharer {
  caller: FunctionCaller
  memberId: string
  code: string
}

function harness(binding?: Record<string, unknown>) {
  let emulator: TestEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: true })
    // before any function runs, so no instance holds the seed's rules; no rewards here (tests/functions/social-rewards.test.ts), so a join's calls are the join's
    await adminApp(emulator.adminUrl)
      .database()
      .collection('config')
      .doc('social')
      .update({ rewards: [], ...(binding ? { binding } : {}) })
  })
  afterAll(() => emulator?.stop())
  const url = () => emulator.adminUrl
  const db = () => adminApp(url()).database()
  async function member(nickname: string): Promise<Sharer> {
    const openid = newOpenid('sharer')
    const caller = callerFor(url(), openid)
    await caller.ok('member', 'join', { nickname })
    const { code } = await caller.ok('social', 'share', { target: { type: 'invite' } })
    return { caller, memberId: memberIdFor(openid), code }
  }
  async function person(id: string): Promise<PersonRecord | null> {
    return ((await db().collection('people').doc(id).get()).data[0] as PersonRecord | undefined) ?? null
  }
  async function memberRecord(id: string) {
    return (await db().collection('members').doc(id).get()).data[0] as {
      invitedBy: string | null
      invitedBy2: string | null
      joinScene: string | null
      channelId: string | null
      ownerStaffId: string | null
    }
  }
  return { url, db, member, person, memberRecord, emulator: () => emulator }
}

describe('share codes', () => {
  const { url, member, db } = harness()

  test('one code per member and target, the same on every call; another target or member has another', async () => {
    const amy = await member('Amy')
    const again = await amy.caller.ok('social', 'share', { target: { type: 'invite' } })
    expect(again).toEqual({ code: amy.code, scene: `s.${amy.code}`, target: { type: 'invite' } })
    expect(amy.code).toMatch(/^[A-Za-z0-9_-]{10}$/)
    const product = await amy.caller.ok('social', 'share', { target: { type: 'product', id: 'p-serum' } })
    expect(product.code).not.toBe(amy.code)
    const bob = await member('Bob')
    expect(bob.code).not.toBe(amy.code)
    const answers = await Promise.all(Array.from({ length: 10 }, () => bob.caller.ok('social', 'share', { target: { type: 'group', id: 'g-1' } })))
    expect(new Set(answers.map((answer) => answer.code)).size).toBe(1)
    expect((await db().collection('shares').where({ sharerId: bob.memberId }).count()).total).toBe(2)
  })

  test('only members share; a target is checked (the invite card has no id, a product needs one)', async () => {
    expect(await callerFor(url(), newOpenid()).call('social', 'share', { target: { type: 'invite' } })).toMatchObject({ ok: false, error: { reason: 'NOT_A_MEMBER' } })
    const amy = await member('Amy')
    for (const target of [{ type: 'invite', id: 'x' }, { type: 'product' }, { type: 'poster', id: 'x' }, { type: 'product', id: 'has space' }]) {
      expect(await amy.caller.call('social', 'share', { target } as never)).toMatchObject({ ok: false, error: { reason: 'INVALID_INPUT' } })
    }
  })

  test('a scene that names nothing opens nothing; one that is not a scene is refused', async () => {
    const openid = newOpenid()
    const caller = callerFor(url(), openid)
    expect(await caller.ok('social', 'open', { scene: 's.NoSuchCode' })).toEqual({ opened: null })
    expect(await caller.ok('social', 'open', { scene: 'c.nowhere' })).toEqual({ opened: null })
    for (const scene of ['x.abc', 's.', 's.has space', 's.abc\n', ' s.abc', 's.' + 'a'.repeat(31), '%E4%BD%A0']) {
      expect(await caller.call('social', 'open', { scene })).toMatchObject({ ok: false, error: { reason: 'INVALID_INPUT' } })
    }
    expect((await db().collection('people').doc(memberIdFor(openid)).get()).data).toEqual([])
  })
})

describe('opening a share and joining', () => {
  const { url, member, person, memberRecord, db, emulator } = harness()

  test('the friend sees who invited them; joining fixes the invitation and the joining scene; 我的邀请 lists the friend masked', async () => {
    const amy = await member('Amy Wong')
    const openid = newOpenid('friend')
    const friend = callerFor(url(), openid)
    expect(await friend.ok('social', 'open', { scene: `s.${amy.code}` })).toEqual({ opened: { kind: 'share', target: { type: 'invite' }, from: 'Amy Wong' } })
    expect((await person(memberIdFor(openid)))?.boundTo).toMatchObject({ sharerId: amy.memberId, shareCode: amy.code })
    await friend.ok('member', 'join', { nickname: '小林同学' })
    expect(await memberRecord(memberIdFor(openid))).toMatchObject({ invitedBy: amy.memberId, invitedBy2: null, joinScene: `s.${amy.code}`, channelId: null })
    expect(await amy.caller.ok('social', 'invites', {})).toEqual({
      total: 1,
      friends: [{ nickname: '小**学', joinedAt: expect.any(String), stage: 'joined' }],
      binding: { mode: 'firstTouchForDays', days: 30, newcomersOnly: false },
      rules: [],
      rewards: { points: 0, locked: 0, latest: [] },
    })
    // the join's follower wrote the membership onto the person
    expect(await person(memberIdFor(openid))).toMatchObject({ invitedBy: amy.memberId, memberAt: expect.any(Date) })
  })

  test('level 2: a friend of a friend is invited by the friend, with the first sharer as level 2', async () => {
    const amy = await member('Amy')
    const bobId = newOpenid('bob')
    const bob = callerFor(url(), bobId)
    await bob.ok('social', 'open', { scene: `s.${amy.code}` })
    await bob.ok('member', 'join', {})
    const bobCode = (await bob.ok('social', 'share', { target: { type: 'invite' } })).code
    const carolId = newOpenid('carol')
    const carol = callerFor(url(), carolId)
    await carol.ok('social', 'open', { scene: `s.${bobCode}` })
    await carol.ok('member', 'join', {})
    expect(await memberRecord(memberIdFor(carolId))).toMatchObject({ invitedBy: memberIdFor(bobId), invitedBy2: amy.memberId })
  })

  test('a clerk channel scanned first stays the joining channel; a share opened later binds but changes neither the channel nor the owner', async () => {
    const amy = await member('Amy')
    const openid = newOpenid('scanned')
    const friend = callerFor(url(), openid)
    expect(await friend.ok('social', 'open', { scene: 'c-li' })).toEqual({ opened: { kind: 'channel', target: null, from: '李晓梅的专属码' } })
    await friend.ok('social', 'open', { scene: `s.${amy.code}` })
    await friend.ok('member', 'join', { scene: `s.${amy.code}` })
    expect(await memberRecord(memberIdFor(openid))).toMatchObject({ channelId: 'c-li', joinScene: 'c-li', invitedBy: amy.memberId, ownerStaffId: 'st-li' })
  })

  test("an invited member is owned by the clerk who owns the inviter (the brand's default)", async () => {
    const clerkFriendId = newOpenid('owned')
    const clerkFriend = callerFor(url(), clerkFriendId)
    await clerkFriend.ok('member', 'join', { scene: 'c-zhao' })
    const { code } = await clerkFriend.ok('social', 'share', { target: { type: 'invite' } })
    const openid = newOpenid('second')
    const friend = callerFor(url(), openid)
    await friend.ok('social', 'open', { scene: `s.${code}` })
    await friend.ok('member', 'join', {})
    expect(await memberRecord(memberIdFor(openid))).toMatchObject({ invitedBy: memberIdFor(clerkFriendId), channelId: null, ownerStaffId: 'st-zhao' })
  })

  test('no self-binding, and no A↔B loop: a member cannot be bound to someone bound to (or invited by) them', async () => {
    const amy = await member('Amy')
    expect(await amy.caller.ok('social', 'open', { scene: `s.${amy.code}` })).toMatchObject({ opened: { from: 'Amy' } })
    expect((await person(amy.memberId))?.boundTo ?? null).toBeNull()

    const bobId = newOpenid('bob')
    const bob = callerFor(url(), bobId)
    await bob.ok('social', 'open', { scene: `s.${amy.code}` })
    await bob.ok('member', 'join', {})
    const bobCode = (await bob.ok('social', 'share', { target: { type: 'invite' } })).code
    await amy.caller.ok('social', 'open', { scene: `s.${bobCode}` })
    expect((await person(amy.memberId))?.boundTo ?? null).toBeNull()

    // a loop of bindings alone (neither joined through the other): Dan is bound to Cat, so Cat cannot be bound to Dan
    const cat = await member('Cat')
    const dan = await member('Dan')
    await dan.caller.ok('social', 'open', { scene: `s.${cat.code}` })
    expect((await person(dan.memberId))?.boundTo?.sharerId).toBe(cat.memberId)
    await cat.caller.ok('social', 'open', { scene: `s.${dan.code}` })
    expect((await person(cat.memberId))?.boundTo ?? null).toBeNull()
  })

  test('an open is logged once per opener and code, by the minute timer', async () => {
    const amy = await member('Amy')
    const openers = Array.from({ length: 5 }, () => callerFor(url(), newOpenid('log')))
    await Promise.all(openers.flatMap((caller) => [1, 2, 3].map(() => caller.ok('social', 'open', { scene: `s.${amy.code}` }))))
    await fireTimer(url(), 'minutely')
    const { data } = await db().collection('scene_opens').where({ code: amy.code }).get()
    expect(data).toHaveLength(5)
    expect(data.every((open) => open.sharerId === amy.memberId && open.bound === true && open.member === false)).toBe(true)
  })

  test('database calls: a new share 3, one read back 2, an open 3, a join through a share at most 1 more than a plain join', async () => {
    const amy = await member('Amy')
    const last = async (fn: string, openid: string) => (await invocations(emulator().url, { function: fn, openid, last: 1 }))[0]
    const amyOpenid = (await db().collection('members').doc(amy.memberId).get()).data[0].openid as string
    await amy.caller.ok('social', 'share', { target: { type: 'product', id: 'calls-1' } })
    expect((await last('social', amyOpenid)).adminCalls).toBe(3) // member, share (absent), add
    await amy.caller.ok('social', 'share', { target: { type: 'product', id: 'calls-1' } })
    expect((await last('social', amyOpenid)).adminCalls).toBe(2) // member, share
    const plainId = newOpenid('plain')
    await callerFor(url(), plainId).ok('social', 'open', { scene: 'c-li' }) // warms the instance
    const openid = newOpenid('calls')
    const friend = callerFor(url(), openid)
    await friend.ok('social', 'open', { scene: `s.${amy.code}` })
    expect((await last('social', openid)).adminCalls).toBe(3)
    const plain = newOpenid('plain')
    await callerFor(url(), plain).ok('member', 'join', {})
    await friend.ok('member', 'join', {})
    const [plainJoin, sharedJoin] = [await last('member', plain), await last('member', openid)]
    expect(sharedJoin.adminCalls - plainJoin.adminCalls).toBeLessThanOrEqual(1)
  })
})

/** Each bind mode, 1,000 friends at once: each opens Amy's share, then Bob's, then joins. */
describe.each([
  ['firstTouch', 'amy'],
  ['firstTouchForDays', 'amy'],
  ['lastTouch', 'bob'],
] as const)('bind mode %s', (mode, expected) => {
  const { url, member, person, memberRecord, db, emulator } = harness({ mode, days: 30, newcomersOnly: false })
  const FRIENDS = 1000

  test(`1,000 friends open two shares and join at the same time: each is invited once, by ${expected}; 30 days on, a third share moves only what the mode allows`, async () => {
    const amy = await member('Amy')
    const bob = await member('Bob')
    const openids = Array.from({ length: FRIENDS }, () => newOpenid('crowd'))
    const answers = await Promise.all(
      openids.map(async (openid) => {
        const caller = callerFor(url(), openid, 120_000)
        await caller.ok('social', 'open', { scene: `s.${amy.code}` })
        await caller.ok('social', 'open', { scene: `s.${bob.code}` })
        return caller.ok('member', 'join', {})
      }),
    )
    expect(answers.every((answer) => answer.created)).toBe(true)
    const inviter = expected === 'amy' ? amy : bob
    const _ = db().command
    expect((await db().collection('members').where({ invitedBy: inviter.memberId }).count()).total).toBe(FRIENDS)
    expect(
      (
        await db()
          .collection('members')
          .where({ invitedBy: (inviter === amy ? bob : amy).memberId })
          .count()
      ).total,
    ).toBe(0)
    expect(
      (
        await db()
          .collection('people')
          .where({ _id: _.in(openids.map(memberIdFor)), 'boundTo.sharerId': inviter.memberId })
          .count()
      ).total,
    ).toBe(FRIENDS)

    // 31 days later ten of them open Cat's share: the binding moves unless the mode is first touch for ever; the invitation never
    await moveClock(emulator().url, { advanceMs: 31 * DAY })
    const cat = await member('Cat')
    const later = openids.slice(0, 10)
    await Promise.all(later.map((openid) => callerFor(url(), openid).ok('social', 'open', { scene: `s.${cat.code}` })))
    for (const openid of later) {
      expect((await person(memberIdFor(openid)))?.boundTo?.sharerId).toBe(mode === 'firstTouch' ? inviter.memberId : cat.memberId)
      expect((await memberRecord(memberIdFor(openid))).invitedBy).toBe(inviter.memberId)
    }
    await moveClock(emulator().url, { reset: true })
  })

  test('one friend opening two shares at once is bound once, to one of them, and invited by that one', async () => {
    const amy = await member('Amy')
    const bob = await member('Bob')
    const openid = newOpenid('torn')
    const caller = callerFor(url(), openid)
    await Promise.all(Array.from({ length: 10 }, (_, i) => caller.ok('social', 'open', { scene: `s.${(i % 2 ? amy : bob).code}` })))
    await caller.ok('member', 'join', {})
    const bound = (await person(memberIdFor(openid)))?.boundTo?.sharerId
    expect([amy.memberId, bob.memberId]).toContain(bound)
    expect((await memberRecord(memberIdFor(openid))).invitedBy).toBe(bound)
  })
})

describe('newcomers only', () => {
  const { url, member, person, db } = harness({ mode: 'lastTouch', newcomersOnly: true })

  test('a member is not bound, whether the social context has seen them before or not; a visitor is', async () => {
    const amy = await member('Amy')
    const seasoned = await member('Old hand') // joined, so the join's follower made their person
    await seasoned.caller.ok('social', 'open', { scene: `s.${amy.code}` })
    expect((await person(seasoned.memberId))?.boundTo ?? null).toBeNull()
    const legacy = await member('Before people were kept')
    await db().collection('people').doc(legacy.memberId).remove()
    await legacy.caller.ok('social', 'open', { scene: `s.${amy.code}` })
    expect((await person(legacy.memberId))?.boundTo).toBeNull()
    const visitor = newOpenid('visitor')
    await callerFor(url(), visitor).ok('social', 'open', { scene: `s.${amy.code}` })
    expect((await person(memberIdFor(visitor)))?.boundTo?.sharerId).toBe(amy.memberId)
  })
})
