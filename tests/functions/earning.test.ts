import { earnEntryId } from '../../domain/loyalty/earning'
import { memberIdFor } from '../../domain/membership/member'
import { businessDay, previousDay } from '../../domain/shared/time'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, invocations, newOpenid, planCrash, requestId } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()
const today = () => businessDay(Date.now())

async function newMember() {
  const openid = newOpenid()
  const caller = callerFor(emulator.adminUrl, openid)
  await caller.ok('member', 'join', {})
  return { openid, caller, memberId: memberIdFor(openid) }
}

interface MemberDoc {
  points: number
  growth: number
  earnCaps?: Record<string, Record<string, string[]>>
  outbox: Record<string, { points: number }>
}

async function memberDoc(memberId: string): Promise<MemberDoc> {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as MemberDoc
}

async function ledgerEntries(memberId: string) {
  const { data } = await db().collection('ledger').where({ memberId }).limit(1000).get()
  return data as { _id: string; kind: string; points: number; growth: number }[]
}

async function ledgerAndOutboxSum(memberId: string): Promise<number> {
  const byId = new Map((await ledgerEntries(memberId)).map((entry) => [entry._id, entry.points]))
  for (const [id, entry] of Object.entries((await memberDoc(memberId)).outbox ?? {})) byId.set(id, entry.points)
  return [...byId.values()].reduce((sum, value) => sum + value, 0)
}

describe('loyalty.earn (分享 / 点赞 / 阅读 / 评价)', () => {
  test('a share earns the rule’s points and growth, one ledger line of its own kind, and says how many are left today', async () => {
    const { caller, memberId } = await newMember()
    const answer = await caller.ok('loyalty', 'earn', { behaviour: 'share', ref: 'article-1', requestId: requestId() })
    expect(answer.points).toBe(105)
    expect(answer.remainingToday).toBe(2)
    expect(answer.entry).toMatchObject({ id: earnEntryId('share', memberId, today(), 'article-1'), source: 'share', change: 5, balanceAfter: 105, description: '分享奖励' })
    const member = await memberDoc(memberId)
    expect(member).toMatchObject({ points: 105, growth: 1 })
    expect((await ledgerEntries(memberId)).filter((entry) => entry.kind === 'share')).toHaveLength(1)
  })

  test('20 concurrent earns on different content grant exactly the daily cap (share: 3); the rest are refused and write nothing', async () => {
    const { caller, memberId } = await newMember()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => caller.call('loyalty', 'earn', { behaviour: 'share', ref: `post-${i}`, requestId: requestId() })))
    const granted = answers.filter((answer) => answer.ok)
    expect(granted).toHaveLength(3)
    expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.error)).toEqual(
      Array.from({ length: 17 }, () => expect.objectContaining({ code: 'FAILED_PRECONDITION', reason: 'DAILY_CAP_REACHED' })),
    )
    expect(granted.map((answer) => (answer.ok ? answer.data.remainingToday : -1)).sort()).toEqual([0, 1, 2])
    const member = await memberDoc(memberId)
    expect(member.points).toBe(115)
    expect(member.growth).toBe(3)
    expect(member.earnCaps?.[today()]?.share).toHaveLength(3)
    expect((await ledgerEntries(memberId)).filter((entry) => entry.kind === 'share')).toHaveLength(3)
    expect(await ledgerAndOutboxSum(memberId)).toBe(115)
  })

  test('beyond the cap: FAILED_PRECONDITION DAILY_CAP_REACHED and the member document is untouched', async () => {
    const { caller, memberId } = await newMember()
    for (const ref of ['a', 'b']) await caller.ok('loyalty', 'earn', { behaviour: 'review', ref, requestId: requestId() })
    const before = await memberDoc(memberId)
    expect(await caller.call('loyalty', 'earn', { behaviour: 'review', ref: 'c', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', reason: 'DAILY_CAP_REACHED' },
    })
    expect(await memberDoc(memberId)).toEqual(before)
    // Another behaviour has its own cap.
    expect((await caller.ok('loyalty', 'earn', { behaviour: 'like', ref: 'c', requestId: requestId() })).remainingToday).toBe(9)
  })

  test('the same request retried gets the same answer and writes nothing new; 10 copies at once answer alike', async () => {
    const { caller, memberId } = await newMember()
    const id = requestId()
    const first = await caller.call('loyalty', 'earn', { behaviour: 'read', ref: 'news-7', requestId: id })
    await caller.ok('loyalty', 'earn', { behaviour: 'read', ref: 'news-8', requestId: requestId() })
    const retry = await caller.call('loyalty', 'earn', { behaviour: 'read', ref: 'news-7', requestId: id })
    expect(retry).toEqual(first)
    expect((await memberDoc(memberId)).points).toBe(104)

    const other = requestId()
    const answers = await Promise.all(Array.from({ length: 10 }, () => caller.call('loyalty', 'earn', { behaviour: 'read', ref: 'news-9', requestId: other })))
    expect(answers.every((answer) => answer.ok)).toBe(true)
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1)
    expect((await memberDoc(memberId)).points).toBe(106)
    expect(await ledgerAndOutboxSum(memberId)).toBe(106)
  })

  test('the same content again today with another request is ALREADY_EXISTS, points once', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('loyalty', 'earn', { behaviour: 'like', ref: 'photo-1', requestId: requestId() })
    const again = await caller.call('loyalty', 'earn', { behaviour: 'like', ref: 'photo-1', requestId: requestId() })
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } })
    expect((await memberDoc(memberId)).points).toBe(101)
  })

  test('bad input is INVALID_ARGUMENT naming each field, and writes nothing', async () => {
    const { caller, memberId } = await newMember()
    const answer = await caller.call('loyalty', 'earn', { behaviour: 'dance', ref: 'has space', requestId: 'short' } as never)
    expect(answer.ok).toBe(false)
    if (answer.ok) return
    expect(answer.error.code).toBe('INVALID_ARGUMENT')
    expect(answer.error.fields?.map((field) => field.path).sort()).toEqual(['behaviour', 'ref', 'requestId'])
    expect(await caller.call('loyalty', 'earn', { behaviour: 'share', requestId: requestId() } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'ref' }] },
    })
    expect(await caller.call('loyalty', 'earn', { behaviour: 'share', ref: 'x', requestId: requestId(), memberId: 'm_someone' } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect((await memberDoc(memberId)).earnCaps).toBeUndefined()
    expect(await ledgerEntries(memberId)).toHaveLength(1)
  })

  test('a lost card earns nothing: CARD_LOST, no reservation, no ledger line', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('member', 'reportLoss', { requestId: requestId() })
    const before = await memberDoc(memberId)
    expect(await caller.call('loyalty', 'earn', { behaviour: 'share', ref: 'a1', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', reason: 'CARD_LOST' },
    })
    expect(await memberDoc(memberId)).toEqual(before)
    expect(await ledgerEntries(memberId)).toHaveLength(1)
  })

  test('someone who has not joined is NOT_FOUND', async () => {
    const openid = newOpenid()
    expect(await callerFor(emulator.adminUrl, openid).call('loyalty', 'earn', { behaviour: 'share', ref: 'a', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })

  test('yesterday’s earnings do not count against today’s cap, and their counter is cleared', async () => {
    const { caller, memberId } = await newMember()
    const yesterday = previousDay(today())
    await db()
      .collection('members')
      .doc(memberId)
      .update({ earnCaps: { [yesterday]: { share: ['a', 'b', 'c'] }, '2020-01-01': { like: ['old'] } } })
    const answer = await caller.ok('loyalty', 'earn', { behaviour: 'share', ref: 'a', requestId: requestId() })
    expect(answer.remainingToday).toBe(2)
    expect(Object.keys((await memberDoc(memberId)).earnCaps ?? {})).toEqual([today()])
  })

  test('an earn costs 4 database calls on a warm instance (reserve, the ledger read that refuses a replay at any age, apply, ledger copy)', async () => {
    const { caller, openid } = await newMember()
    await caller.ok('loyalty', 'status', {})
    await caller.ok('loyalty', 'earn', { behaviour: 'like', ref: 'warm-1', requestId: requestId() })
    const [last] = await invocations(emulator.url, { function: 'loyalty', openid, last: 1 })
    expect(last.action).toBe('earn')
    expect(last.adminCalls).toBe(4)
  })

  test('a crash after the reservation loses nothing: the retry of the same request grants it once', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('loyalty', 'status', {})
    const id = requestId()
    await planCrash(emulator.url, { functionName: 'loyalty', action: 'earn', afterCalls: 1 })
    expect(await caller.call('loyalty', 'earn', { behaviour: 'share', ref: 'c1', requestId: id })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect((await memberDoc(memberId)).points).toBe(100)
    const retry = await caller.ok('loyalty', 'earn', { behaviour: 'share', ref: 'c1', requestId: id })
    expect(retry).toMatchObject({ points: 105, remainingToday: 2 })
    expect((await memberDoc(memberId)).points).toBe(105)
    expect(await ledgerAndOutboxSum(memberId)).toBe(105)
  })

  test('a crash between the points update and the ledger copy: the retry answers as the first would have', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('loyalty', 'status', {})
    const id = requestId()
    await planCrash(emulator.url, { functionName: 'loyalty', action: 'earn', afterCalls: 3 })
    expect(await caller.call('loyalty', 'earn', { behaviour: 'review', ref: 'p1', requestId: id })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(await ledgerAndOutboxSum(memberId)).toBe(120)
    const retry = await caller.ok('loyalty', 'earn', { behaviour: 'review', ref: 'p1', requestId: id })
    expect(retry).toMatchObject({ points: 120, remainingToday: 1, entry: { change: 20, balanceAfter: 120 } })
    expect((await ledgerEntries(memberId)).filter((entry) => entry.kind === 'review')).toHaveLength(1)
  })
})
