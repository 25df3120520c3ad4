import { checkinEntryId } from '../../domain/loyalty'
import { memberIdFor } from '../../domain/member'
import { businessDay } from '../../domain/time'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, invocations, newOpenid, planCrash, requestId } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()

async function newMember() {
  const openid = newOpenid()
  const caller = callerFor(emulator.adminUrl, openid)
  await caller.ok('member', 'join', {})
  return { openid, caller, memberId: memberIdFor(openid) }
}

/** The invariant: a member's points equal the sum of their points ledger. */
async function ledgerSum(memberId: string): Promise<number> {
  const { data } = await db().collection('ledger').where({ memberId }).limit(1000).get()
  return (data as { points: number }[]).reduce((sum, entry) => sum + entry.points, 0)
}

async function memberDoc(memberId: string) {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as { points: number; pointsOwed: number; outbox: Record<string, { points: number }> }
}

/** Σ points over the ledger and the member's outbox, each entry once. */
async function ledgerAndOutboxSum(memberId: string): Promise<number> {
  const { data } = await db().collection('ledger').where({ memberId }).limit(1000).get()
  const byId = new Map((data as { _id: string; points: number }[]).map((entry) => [entry._id, entry.points]))
  for (const [id, entry] of Object.entries((await memberDoc(memberId)).outbox ?? {})) byId.set(id, entry.points)
  return [...byId.values()].reduce((sum, value) => sum + value, 0)
}

async function points(memberId: string): Promise<number> {
  const { data } = await db().collection('members').doc(memberId).get()
  return (data[0] as { points: number }).points
}

describe('loyalty.checkin (签到)', () => {
  test('a check-in earns the configured points and writes one ledger line for today', async () => {
    const { caller, memberId } = await newMember()
    const { entry, points: after } = await caller.ok('loyalty', 'checkin', { requestId: requestId() })
    expect(entry).toMatchObject({ source: 'checkin', change: 10, balanceAfter: 110, description: '每日签到', businessDay: businessDay(Date.now()) })
    expect(after).toBe(110)
    expect(entry.id).toBe(checkinEntryId(memberId, businessDay(Date.now())))
    expect(await ledgerSum(memberId)).toBe(await points(memberId))
  })

  test('a warm check-in costs at most 2 database round trips', async () => {
    const { caller, openid } = await newMember()
    await caller.ok('loyalty', 'status', {}) // warms the configuration cache of the instance
    await caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const [last] = await invocations(emulator.url, { function: 'loyalty', openid, last: 1 })
    expect(last.action).toBe('checkin')
    expect(last.adminCalls).toBeLessThanOrEqual(2)
  })

  test('a second check-in on the same business day is refused politely and changes nothing', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const answer = await caller.call('loyalty', 'checkin', { requestId: requestId() })
    expect(answer).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS', message: '今天已经签到过了，明天再来吧' } })
    expect(await points(memberId)).toBe(110)
    expect((await caller.ok('loyalty', 'status', {})).checkedInToday).toBe(true)
  })

  test('50 concurrent check-ins for one member on one day: one ledger entry, points added once', async () => {
    const { caller, memberId } = await newMember()
    const answers = await Promise.all(Array.from({ length: 50 }, () => caller.call('loyalty', 'checkin', { requestId: requestId() })))
    expect(answers.filter((answer) => answer.ok).length).toBe(1)
    expect(answers.filter((answer) => !answer.ok && answer.error.code === 'ALREADY_EXISTS').length).toBe(49)
    const { data } = await db().collection('ledger').where({ memberId, kind: 'checkin' }).get()
    expect(data.length).toBe(1)
    expect(await points(memberId)).toBe(110)
    expect(await ledgerSum(memberId)).toBe(110)
  })

  test('a retried call with the same request id gets the same answer and writes nothing new', async () => {
    const { caller, memberId } = await newMember()
    const id = requestId()
    const first = await caller.call('loyalty', 'checkin', { requestId: id })
    const retry = await caller.call('loyalty', 'checkin', { requestId: id })
    expect(retry).toEqual(first)
    expect(await points(memberId)).toBe(110)
    expect((await db().collection('ledger').where({ memberId }).count()).total).toBe(2)
  })

  test('the same request sent 10 times at once (lost responses, double taps) applies once and answers alike', async () => {
    const { caller, memberId } = await newMember()
    const id = requestId()
    const answers = await Promise.all(Array.from({ length: 10 }, () => caller.call('loyalty', 'checkin', { requestId: id })))
    expect(answers.every((answer) => answer.ok)).toBe(true)
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1)
    expect(await points(memberId)).toBe(110)
    expect(await ledgerSum(memberId)).toBe(110)
  })

  test('a crash between the points update and the ledger copy loses nothing; the retry finishes it', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('loyalty', 'status', {})
    const id = requestId()
    await planCrash(emulator.url, { functionName: 'loyalty', action: 'checkin', afterCalls: 1 })
    const crashed = await caller.call('loyalty', 'checkin', { requestId: id })
    expect(crashed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    // The one atomic update happened: points and the entry (in the member's outbox) together.
    const member = await memberDoc(memberId)
    expect(member.points).toBe(110)
    expect(await ledgerAndOutboxSum(memberId)).toBe(110)
    expect((await db().collection('ledger').where({ memberId, kind: 'checkin' }).count()).total).toBe(0)

    const retry = await caller.ok('loyalty', 'checkin', { requestId: id })
    expect(retry.points).toBe(110)
    expect(await points(memberId)).toBe(110)
    expect(await ledgerSum(memberId)).toBe(110)
  })

  test('a crash before the points update changes nothing at all', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('loyalty', 'status', {})
    await planCrash(emulator.url, { functionName: 'loyalty', action: 'checkin', afterCalls: 0 })
    expect(await caller.call('loyalty', 'checkin', { requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(await points(memberId)).toBe(100)
    expect(await ledgerAndOutboxSum(memberId)).toBe(100)
    expect((await caller.ok('loyalty', 'checkin', { requestId: requestId() })).points).toBe(110)
  })

  test('bad input is INVALID_ARGUMENT naming the field, and writes nothing', async () => {
    const { caller, memberId } = await newMember()
    const answer = await caller.call('loyalty', 'checkin', { requestId: 'short' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'requestId' }] } })
    expect(await caller.call('loyalty', 'checkin', {} as never)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect((await db().collection('ledger').where({ memberId }).count()).total).toBe(1)
  })

  test('someone who has not joined cannot check in, and leaves no ledger entry behind', async () => {
    const openid = newOpenid()
    const answer = await callerFor(emulator.adminUrl, openid).call('loyalty', 'checkin', { requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await db().collection('ledger').where({ memberId: memberIdFor(openid) }).count()).total).toBe(0)
  })

  test('a frozen card cannot earn check-in points', async () => {
    const { caller, memberId } = await newMember()
    await db().collection('members').doc(memberId).update({ status: 'frozen' })
    expect(await caller.call('loyalty', 'checkin', { requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await ledgerSum(memberId)).toBe(100)
  })
})

describe('loyalty.ledger (积分明细)', () => {
  test('pages newest first with the balance after each entry', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const first = await caller.ok('loyalty', 'ledger', { limit: 1 })
    expect(first.entries.map((entry) => [entry.source, entry.change, entry.balanceAfter])).toEqual([['checkin', 10, 110]])
    expect(first.nextBefore).not.toBeNull()
    const second = await caller.ok('loyalty', 'ledger', { limit: 1, before: first.nextBefore as number })
    expect(second.entries.map((entry) => [entry.source, entry.change, entry.balanceAfter])).toEqual([['join', 100, 100]])
    expect(second.nextBefore).toBeNull()
    expect(await ledgerSum(memberId)).toBe(first.entries[0].balanceAfter)
  })

  test('a member only ever sees their own ledger', async () => {
    const a = await newMember()
    const b = await newMember()
    await a.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const ledger = await b.caller.ok('loyalty', 'ledger', {})
    expect(ledger.entries.map((entry) => entry.source)).toEqual(['join'])
  })
})
