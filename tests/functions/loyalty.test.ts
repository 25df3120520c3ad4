import { checkinBonusEntryId } from '../../domain/loyalty/earning'
import { startOfYear, yearOf } from '../../domain/loyalty/expiry'
import { checkinEntryId } from '../../domain/loyalty/loyalty'
import { memberIdFor } from '../../domain/membership/member'
import { businessDay, previousDay } from '../../domain/shared/time'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { seedEntries } from '../support/members'
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

/** Tiers qualify on growth earned in the current calendar year (Asia/Shanghai). */
const thisYear = () => businessDay(Date.now()).slice(0, 4)

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
    expect(answer).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS', reason: 'ALREADY_CHECKED_IN' } })
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
    expect(
      (
        await db()
          .collection('ledger')
          .where({ memberId: memberIdFor(openid) })
          .count()
      ).total,
    ).toBe(0)
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

/** The n business days before today, oldest first. */
function daysBefore(n: number): string[] {
  const days: string[] = []
  let day = businessDay(Date.now())
  for (let i = 0; i < n; i++) {
    day = previousDay(day)
    days.unshift(day)
  }
  return days
}

async function setMember(memberId: string, fields: Record<string, unknown>) {
  await db().collection('members').doc(memberId).update(fields)
}

async function fullMember(memberId: string) {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as {
    points: number
    pointsOwed: number
    growth: number
    tierId: string
    tierHistory: { from: string | null; to: string; reason: string }[]
    lastCheckinBonusDay?: string
    checkinDays?: string[]
  }
}

describe('check-in streaks and growth', () => {
  test('the 7th consecutive day earns the streak bonus (30) as its own ledger entry; a retry answers alike', async () => {
    const { caller, memberId } = await newMember()
    await setMember(memberId, { checkinDays: daysBefore(6) })
    const id = requestId()
    const answer = await caller.call('loyalty', 'checkin', { requestId: id })
    expect(answer).toMatchObject({ ok: true, data: { points: 140, entry: { source: 'checkin', change: 10, balanceAfter: 110 } } })
    const today = businessDay(Date.now())
    const { data } = await db().collection('ledger').doc(checkinBonusEntryId(memberId, today)).get()
    expect(data[0]).toMatchObject({ kind: 'checkin', points: 30, description: '连续签到 7 天奖励' })
    expect(await ledgerSum(memberId)).toBe(140)
    expect((await fullMember(memberId)).lastCheckinBonusDay).toBe(today)
    expect(await caller.call('loyalty', 'checkin', { requestId: id })).toEqual(answer)
    expect(await points(memberId)).toBe(140)
    const ledger = await caller.ok('loyalty', 'ledger', { limit: 2 })
    expect(ledger.entries.map((entry) => [entry.change, entry.balanceAfter])).toEqual([
      [30, 140],
      [10, 110],
    ])
  })

  test('the 8th consecutive day (bonus given yesterday) and a broken streak earn no bonus', async () => {
    const eighth = await newMember()
    const seven = daysBefore(7)
    await setMember(eighth.memberId, { checkinDays: seven, lastCheckinBonusDay: seven[6] })
    expect((await eighth.caller.ok('loyalty', 'checkin', { requestId: requestId() })).points).toBe(110)

    const broken = await newMember()
    const gap = daysBefore(7)
    gap.splice(3, 1)
    await setMember(broken.memberId, { checkinDays: gap })
    expect((await broken.caller.ok('loyalty', 'checkin', { requestId: requestId() })).points).toBe(110)
    expect(await ledgerSum(broken.memberId)).toBe(110)
  })

  test('the 14th day earns the bonus again', async () => {
    const { caller, memberId } = await newMember()
    const days = daysBefore(13)
    await setMember(memberId, { checkinDays: days.slice(-7), lastCheckinBonusDay: days[6] })
    expect((await caller.ok('loyalty', 'checkin', { requestId: requestId() })).points).toBe(140)
  })

  test('a check-in adds the rule’s growth and keeps only the last 7 days', async () => {
    const { caller, memberId } = await newMember()
    await setMember(memberId, { checkinDays: ['2020-01-01', ...daysBefore(10).slice(0, 8)] })
    expect((await caller.ok('loyalty', 'checkin', { requestId: requestId() })).points).toBe(110)
    const member = await fullMember(memberId)
    expect(member.growth).toBe(1)
    expect(member.checkinDays).toEqual([...daysBefore(10).slice(2, 8), businessDay(Date.now())])
  })

  test('a member who owes points repays them from the check-in first; the streak window is kept on that path too', async () => {
    const { caller, memberId } = await newMember()
    // As after a refund clawback of points already spent: nothing spendable, 15 owed.
    await db()
      .collection('ledger')
      .add({
        _id: `refund:test:${memberId}`,
        memberId,
        kind: 'refund',
        points: -115,
        balance: 0,
        growth: 0,
        requestId: 'seed-refund',
        businessDay: businessDay(Date.now()),
        createdAt: new Date(Date.now() - 1000),
        description: '退款扣回积分',
        allowOwing: true,
      })
    await setMember(memberId, { points: 0, pointsOwed: 15 })
    expect((await caller.ok('loyalty', 'status', {})).pointsOwed).toBe(15)
    const answer = await caller.ok('loyalty', 'checkin', { requestId: requestId() })
    expect(answer.points).toBe(-5)
    const member = await fullMember(memberId)
    expect([member.points, member.pointsOwed, member.growth]).toEqual([0, 5, 1])
    expect(member.checkinDays).toEqual([businessDay(Date.now())])
    expect(await ledgerAndOutboxSum(memberId)).toBe(-5)
  })

  test('crossing a tier threshold upgrades at once; 10 concurrent tries of the check-in record one upgrade', async () => {
    const { caller, memberId } = await newMember()
    await setMember(memberId, { growth: 999, growthByYear: { [thisYear()]: 999 } })
    const id = requestId()
    const calls = Array.from({ length: 10 }, () => caller.call('loyalty', 'checkin', { requestId: id }))
    expect((await Promise.all(calls)).every((answer) => answer.ok)).toBe(true)
    const member = await fullMember(memberId)
    expect(member.growth).toBe(999 + 1)
    expect(member.tierId).toBe('gold')
    expect(member.tierHistory.filter((change) => change.reason === 'upgrade')).toEqual([expect.objectContaining({ from: 'silver', to: 'gold' })])
    const history = await caller.ok('loyalty', 'tierHistory', {})
    expect(history.changes.map((change) => [change.from, change.to, change.reason])).toEqual([
      ['银卡会员', '金卡会员', 'upgrade'],
      [null, '银卡会员', 'join'],
    ])
  })

  test('database calls: an ordinary warm check-in 2, one that upgrades the tier 3, a bonus day 4', async () => {
    const ordinary = await newMember()
    await ordinary.caller.ok('loyalty', 'status', {})
    await ordinary.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const upgrading = await newMember()
    await setMember(upgrading.memberId, { growth: 999, growthByYear: { [thisYear()]: 999 } })
    await upgrading.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const bonus = await newMember()
    await setMember(bonus.memberId, { checkinDays: daysBefore(6) })
    await bonus.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const calls = async (openid: string) => (await invocations(emulator.url, { function: 'loyalty', openid, last: 1 }))[0].adminCalls
    const figures = { ordinary: await calls(ordinary.openid), upgrade: await calls(upgrading.openid), bonus: await calls(bonus.openid) }
    console.log('check-in database calls', figures)
    expect(figures).toEqual({ ordinary: 2, upgrade: 3, bonus: 4 })
    expect((await fullMember(upgrading.memberId)).tierId).toBe('gold')
  })
})

describe('loyalty.status', () => {
  test('shows points, points owed, and the points that expire at the end of this year (earned last year and before)', async () => {
    const { caller, memberId } = await newMember()
    const year = yearOf(Date.now())
    const at = (y: number, month: number) => new Date(Date.UTC(y, month - 1, 10, 2))
    await seedEntries(emulator.adminUrl, memberId, [
      { points: 500, at: at(year - 2, 3) },
      { points: -200, at: at(year - 2, 6), kind: 'adjust' },
      { points: 300, at: at(year - 1, 5) },
      { points: -100, at: at(year - 1, 8), kind: 'adjust' },
    ])
    const status = await caller.ok('loyalty', 'status', {})
    expect(status).toMatchObject({ points: 600, pointsOwed: 0, checkedInToday: false, checkinPoints: 10 })
    expect(status.expiring).toEqual({ points: 500, at: startOfYear(year + 1).toISOString() })
  })

  test('a new member has nothing expiring', async () => {
    const { caller } = await newMember()
    expect((await caller.ok('loyalty', 'status', {})).expiring).toBeNull()
  })
})

describe('loyalty.balanceLedger (储值明细)', () => {
  test('lists only stored-value changes, newest first, in fen with the stored value after each', async () => {
    const { caller, memberId } = await newMember()
    const now = Date.now()
    await seedEntries(emulator.adminUrl, memberId, [
      { balance: 50000, at: new Date(now - 3000), kind: 'topup' },
      { points: 20, at: new Date(now - 2000), kind: 'adjust' },
      { balance: -1800, points: 18, at: new Date(now - 1000), kind: 'purchase' },
    ])
    const first = await caller.ok('loyalty', 'balanceLedger', { limit: 1 })
    expect(first.balance).toBe(48200)
    expect(first.entries.map((entry) => [entry.source, entry.change, entry.balanceAfter])).toEqual([['purchase', -1800, 48200]])
    const rest = await caller.ok('loyalty', 'balanceLedger', { limit: 10, before: first.nextBefore as number })
    expect(rest.entries.map((entry) => [entry.source, entry.change, entry.balanceAfter])).toEqual([['topup', 50000, 50000]])
    expect(rest.nextBefore).toBeNull()
  })
})
