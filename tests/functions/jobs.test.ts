import { expireEntryId, startOfYear, yearOf } from '../../domain/loyalty/expiry'
import { memberIdFor } from '../../domain/membership/member'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { seedEntries } from '../support/members'
import { adminApp, callerFor, newOpenid, requestId } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()
const consoleCaller = () => callerFor(emulator.adminUrl, null)
const year = () => yearOf(Date.now())
/** A day in a year, at noon Shanghai time. */
const inYear = (y: number, month: number) => new Date(Date.UTC(y, month - 1, 10, 4))

async function newMember() {
  const openid = newOpenid()
  const caller = callerFor(emulator.adminUrl, openid)
  await caller.ok('member', 'join', {})
  return { openid, caller, memberId: memberIdFor(openid) }
}

async function memberDoc(memberId: string) {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as { points: number; pointsOwed: number; tierId: string; tierHistory: { reason: string }[]; outbox: Record<string, { points: number }> }
}

async function ledgerOf(memberId: string) {
  const { data } = await db().collection('ledger').where({ memberId }).limit(1000).get()
  return data as { _id: string; kind: string; points: number }[]
}

async function ledgerAndOutboxSum(memberId: string): Promise<number> {
  const byId = new Map((await ledgerOf(memberId)).map((entry) => [entry._id, entry.points]))
  for (const [id, entry] of Object.entries((await memberDoc(memberId)).outbox ?? {})) byId.set(id, entry.points)
  return [...byId.values()].reduce((sum, value) => sum + value, 0)
}

/**
 * Lots: year−2: 500 − 200 spent − 100 spent in year−1 (FIFO takes the oldest) = 200 left;
 * year−1: 300; this year: the join's 100. The end of last year expires the 200.
 */
async function memberWithOldLots() {
  const member = await newMember()
  const y = year()
  await seedEntries(emulator.adminUrl, member.memberId, [
    { points: 500, at: inYear(y - 2, 3) },
    { points: -200, at: inYear(y - 2, 6), kind: 'adjust' },
    { points: 300, at: inYear(y - 1, 5) },
    { points: -100, at: inYear(y - 1, 8), kind: 'adjust' },
  ])
  return member
}

const timerEvent = (time: string | Date = new Date()) => ({ Type: 'Timer', TriggerName: 'nightly', Time: new Date(time).toISOString() })

describe('points expiry (积分过期)', () => {
  test('what is left of the lot earned two years ago expires at the end of last year, in one entry; status shows what goes next', async () => {
    const { caller, memberId } = await memberWithOldLots()
    expect((await caller.ok('loyalty', 'status', {})).expiring).toEqual({ points: 500, at: startOfYear(year() + 1).toISOString() })
    const run = await consoleCaller().ok('admin', 'runPointsExpiry', {})
    expect(run.expiredPoints).toBeGreaterThanOrEqual(200)
    expect((await memberDoc(memberId)).points).toBe(400)
    const expired = (await ledgerOf(memberId)).filter((entry) => entry.kind === 'expire')
    expect(expired).toEqual([expect.objectContaining({ _id: expireEntryId(memberId, year() - 1), points: -200 })])
    const status = await caller.ok('loyalty', 'status', {})
    expect(status.points).toBe(400)
    expect(status.expiring).toEqual({ points: 300, at: startOfYear(year() + 1).toISOString() })
    const ledger = await caller.ok('loyalty', 'ledger', { limit: 1 })
    expect(ledger.entries[0]).toMatchObject({ source: 'expire', change: -200, balanceAfter: 400 })
  })

  test('running the expiry twice, and 5 times at once, expires exactly once', async () => {
    const members = await Promise.all([memberWithOldLots(), memberWithOldLots()])
    await consoleCaller().ok('admin', 'runPointsExpiry', {})
    expect((await consoleCaller().ok('admin', 'runPointsExpiry', {})).expiredPoints).toBe(0)
    const concurrent = await Promise.all([memberWithOldLots(), memberWithOldLots(), memberWithOldLots()])
    const runs = await Promise.all(Array.from({ length: 5 }, () => consoleCaller().ok('admin', 'runPointsExpiry', {})))
    expect(runs.reduce((sum, run) => sum + run.expiredPoints, 0)).toBe(3 * 200)
    for (const { memberId } of [...members, ...concurrent]) {
      expect((await memberDoc(memberId)).points).toBe(400)
      expect((await ledgerOf(memberId)).filter((entry) => entry.kind === 'expire')).toHaveLength(1)
      expect(await ledgerAndOutboxSum(memberId)).toBe(400)
    }
  })

  test('a member who spent everything expires nothing; one who spent the old lot this year expires nothing either; points never go negative', async () => {
    const y = year()
    const spentAll = await newMember()
    await seedEntries(emulator.adminUrl, spentAll.memberId, [
      { points: 100, at: inYear(y - 2, 3) },
      { points: -200, at: new Date(), kind: 'adjust' },
    ])
    const spentOld = await newMember()
    await seedEntries(emulator.adminUrl, spentOld.memberId, [
      { points: 100, at: inYear(y - 2, 3) },
      { points: -150, at: new Date(), kind: 'adjust' },
    ])
    await consoleCaller().ok('admin', 'runPointsExpiry', {})
    expect((await memberDoc(spentAll.memberId)).points).toBe(0)
    expect((await memberDoc(spentOld.memberId)).points).toBe(50)
    for (const { memberId } of [spentAll, spentOld]) expect((await ledgerOf(memberId)).filter((entry) => entry.kind === 'expire')).toHaveLength(0)
    expect((await spentOld.caller.ok('loyalty', 'status', {})).expiring).toBeNull()
  })

  test('earnings landing while the expiry runs never make it take newer points', async () => {
    const { memberId } = await memberWithOldLots()
    const earns = Array.from({ length: 8 }, (_, i) => consoleCaller().ok('admin', 'bulkGrant', { batchId: `race-${i}-${requestId()}`, memberIds: [memberId], points: 1, reason: '活动奖励' }))
    const runs = Array.from({ length: 3 }, () => consoleCaller().ok('admin', 'runPointsExpiry', {}))
    await Promise.all([...earns, ...runs])
    expect((await memberDoc(memberId)).points).toBe(400 + 8)
    expect((await ledgerOf(memberId)).filter((entry) => entry.kind === 'expire')).toEqual([expect.objectContaining({ points: -200 })])
  })

  test('a lost card still has its points expire', async () => {
    const { caller, memberId } = await memberWithOldLots()
    await caller.ok('member', 'reportLoss', { requestId: requestId() })
    await consoleCaller().ok('admin', 'runPointsExpiry', {})
    expect((await memberDoc(memberId)).points).toBe(400)
  })

  test('an expiry date in the future is refused', async () => {
    expect(await consoleCaller().call('admin', 'runPointsExpiry', { asOf: Date.now() + 400 * 86_400_000 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'asOf' }] },
    })
  })
})

describe('jobs: the nightly timer', () => {
  test('the timer event from a mini-program user does nothing', async () => {
    const { memberId } = await memberWithOldLots()
    const answer = await callerFor(emulator.adminUrl, newOpenid()).raw('jobs', timerEvent())
    expect(answer).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    expect((await memberDoc(memberId)).points).toBe(600)
    expect((await ledgerOf(memberId)).filter((entry) => entry.kind === 'expire')).toHaveLength(0)
  })

  test('the timer (no user) runs the points expiry; twice and concurrently it expires once', async () => {
    const { memberId } = await memberWithOldLots()
    const report = (await consoleCaller().raw('jobs', timerEvent())) as { ok: boolean; data: { expiry: { cutoffYear: number; expiredPoints: number } } }
    expect(report).toMatchObject({ ok: true, data: { expiry: { cutoffYear: year() - 1 } } })
    expect(report.data.expiry.expiredPoints).toBeGreaterThanOrEqual(200)
    await Promise.all(Array.from({ length: 3 }, () => consoleCaller().raw('jobs', timerEvent())))
    expect((await memberDoc(memberId)).points).toBe(400)
    expect((await ledgerOf(memberId)).filter((entry) => entry.kind === 'expire')).toHaveLength(1)
  })

  test('on January 1st it also runs the tier review of the year before; on other days it does not', async () => {
    const y = year()
    const member = await newMember()
    await db()
      .collection('members')
      .doc(member.memberId)
      .update({ tierId: 'gold', tierHistory: [{ from: null, to: 'gold', reason: 'join', at: inYear(y - 2, 1) }] })
    await seedEntries(emulator.adminUrl, member.memberId, [{ growth: 100, at: inYear(y - 1, 4) }])

    const februaryTime = `${y}-02-01T02:30:00+08:00`
    if (Date.parse(februaryTime) <= Date.now()) {
      const february = (await consoleCaller().raw('jobs', timerEvent(februaryTime))) as { ok: boolean; data: { tierReview: unknown } }
      expect(february).toMatchObject({ ok: true, data: { tierReview: null } })
      expect((await memberDoc(member.memberId)).tierId).toBe('gold')
    }
    const newYear = (await consoleCaller().raw('jobs', timerEvent(`${y}-01-01T02:30:00+08:00`))) as { ok: boolean; data: { tierReview: { year: number } } }
    expect(newYear).toMatchObject({ ok: true, data: { tierReview: { year: y - 1 } } })
    // The next nights of January finish what a cut-short run left, and find nothing more here.
    const second = (await consoleCaller().raw('jobs', timerEvent(`${y}-01-02T02:30:00+08:00`))) as { data: { tierReview: { downgraded: number } } }
    expect(second.data.tierReview).toMatchObject({ year: y - 1 })
    const after = await memberDoc(member.memberId)
    expect(after.tierId).toBe('silver')
    expect(after.tierHistory.filter((change) => change.reason === 'yearly-review')).toHaveLength(1)
  })

  test('a timer Time in the future is not believed: the job runs for now', async () => {
    const answer = (await consoleCaller().raw('jobs', timerEvent(`${year() + 1}-01-01T02:30:00+08:00`))) as { ok: boolean; data: { at: string; expiry: { cutoffYear: number } } }
    expect(answer.ok).toBe(true)
    expect(Math.abs(Date.parse(answer.data.at) - Date.now())).toBeLessThan(60_000)
    expect(answer.data.expiry.cutoffYear).toBe(year() - 1)
  })

  test('an unknown trigger or an action call is refused', async () => {
    expect(await consoleCaller().raw('jobs', { Type: 'Timer', TriggerName: 'hourly', Time: new Date().toISOString() })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect(await consoleCaller().raw('jobs', { action: 'runPointsExpiry', input: {} })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })
})
