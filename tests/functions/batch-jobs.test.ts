/**
 * The batch jobs moved onto the job runner, through the real SDK, the emulator and real worker
 * invocations: coupon reminders cut into shards under each template, the invariant check over all
 * members with its findings, a bulk grant whose worker crashes, sweeps that write no run for a
 * quiet minute, and old runs trimmed. The shard cuts themselves are checked as a pure function.
 */
import { couponId, type CouponRecord } from '../../domain/coupons/coupon'
import { prefixShards } from '../../backend/platform/job-runner'
import { MINUTE } from '../support/clock'
import { expectInvariants } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, moveClock, planCrash } from '../support/functions'
import { insertMembers } from '../support/members'

const DAY = 86_400_000

describe('prefixShards', () => {
  const covers = (ranges: { from: string; to: string }[], id: string) => ranges.filter((range) => id >= range.from && id < range.to).length

  test('one prefix: the cuts hexShards always made, every id in exactly one range', () => {
    const ranges = prefixShards(['m_'], 4)
    expect(ranges).toEqual([
      { from: '', to: 'm_40' },
      { from: 'm_40', to: 'm_80' },
      { from: 'm_80', to: 'm_c0' },
      { from: 'm_c0', to: '\uffff' },
    ])
    for (const id of ['', 'a', 'm_', 'm_40', 'm_3f', 'm_ff', 'z', 'm_80']) expect(covers(ranges, id)).toBe(1)
  })

  test('several prefixes: as many ranges under each, in order, and ids outside every prefix still covered', () => {
    const ranges = prefixShards(['welcome:m_', 'birthday:m_'], 4)
    expect(ranges.map((range) => range.from)).toEqual(['', 'birthday:m_80', 'welcome:m_', 'welcome:m_80'])
    for (const id of ['birthday:m_00aa:1', 'birthday:m_ffff:1', 'welcome:m_7f:1', 'welcome:m_80:f2', 'other:m_1', 'zzz']) expect(covers(ranges, id)).toBe(1)
    // the count a run stores gives the same cuts again (a start that died half way is completed from it)
    expect(prefixShards(['welcome:m_', 'birthday:m_'], ranges.length)).toEqual(ranges)
  })
})

describe('batch jobs on the runner', () => {
  let emulator: TestEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: true })
  })
  afterAll(() => emulator?.stop())
  const url = () => emulator.adminUrl
  const db = () => adminApp(url()).database()
  const admin = () => callerFor(url(), null)
  const timer = (TriggerName: 'nightly' | 'minutely') => admin().raw('jobs', { Type: 'Timer', TriggerName }) as Promise<{ ok: boolean; data: Record<string, unknown> }>

  test('coupon reminders: one run a night, its shards cut under each template with expiring coupons; each coupon reminded once', async () => {
    const members = await insertMembers(url(), 150, { label: 'remind' })
    const now = Date.now()
    const coupon = (templateId: string, memberId: string, validTo: number, status: CouponRecord['status'] = 'unused'): CouponRecord => ({
      _id: couponId(templateId, memberId, 1),
      templateId,
      terms: { name: templateId === 'remind-a' ? '满100减20' : '满200减50', kind: 'cash', value: 2000, threshold: 10000, giftName: null, usableIn: ['store'] },
      memberId,
      status,
      validFrom: new Date(now - DAY),
      validTo: new Date(validTo),
      source: 'centre',
      sharerMemberId: null,
      sharerNickname: null,
      requestId: 'test',
      claimedAt: new Date(now - DAY),
      usedAt: null,
      usedIn: null,
      usedStoreId: null,
    })
    const soon = now + 2 * DAY
    const coupons = [
      ...members.map((member) => coupon('remind-a', member.memberId, soon)),
      ...members.slice(0, 100).map((member) => coupon('remind-b', member.memberId, soon)),
      // not tonight's: far from expiry, already used, already past
      ...members.slice(0, 10).map((member) => coupon('remind-c', member.memberId, now + 20 * DAY)),
      coupon('remind-d', members[0].memberId, soon, 'used'),
      coupon('remind-e', members[0].memberId, now - MINUTE),
    ]
    for (let i = 0; i < coupons.length; i += 500)
      await db()
        .collection('coupons')
        .add(coupons.slice(i, i + 500))

    const [first, second] = await Promise.all([timer('nightly'), timer('nightly')])
    expect(first.ok && second.ok).toBe(true)
    const report = first.data.couponReminders as { key: string; status: string; shardsTotal: number; items: number; changed: number }
    expect(report).toMatchObject({ status: 'done', items: 250, changed: 250 })
    expect(report.key).toMatch(/^coupon-reminders:\d{4}-\d{2}-\d{2}$/)
    // under remind-a and remind-b (and the demo data's own expiring coupons, if any), never one range for all
    expect(report.shardsTotal).toBeGreaterThanOrEqual(2)
    const { total } = await db()
      .collection('messages')
      .where({ template: 'coupon_expiry', memberId: db().command.in(members.map((member) => member.memberId)) })
      .count()
    expect(total).toBe(250)
    // a later night finds them reminded already
    await moveClock(emulator.url, { advanceMs: DAY })
    try {
      const later = await timer('nightly')
      expect(later.data.couponReminders).toMatchObject({ status: 'done', items: 0 })
    } finally {
      await moveClock(emulator.url, { reset: true })
    }
  })

  test('the invariant check over every member names the tampered one in the run’s findings', async () => {
    const [tampered, clean] = await insertMembers(url(), 2, { label: 'inv' })
    await db().collection('members').doc(tampered.memberId).update({ points: 12345 })
    const { total: members } = await db().collection('members').count()
    const result = await admin().ok('admin', 'checkInvariants', {})
    expect(result).toMatchObject({ done: true, checked: members })
    expect(result.violations).toContainEqual({ memberId: tampered.memberId, message: expect.stringContaining('积分与账本不符') })
    expect(result.violations.map((violation) => violation.memberId)).not.toContain(clean.memberId)
    const { run, findings } = await admin().ok('admin', 'jobRun', { key: result.runKey })
    expect(run).toMatchObject({ job: 'invariants-all', status: 'done', items: members, errors: findings.length })
    expect(findings).toContainEqual({ documentId: tampered.memberId, code: 'FAILED_PRECONDITION', reason: 'INVARIANT_VIOLATED', message: expect.stringContaining('积分与账本不符') })
  })

  test('a bulk grant whose worker crashes mid-page is finished by the minute timer once its lease passes; each member granted once', async () => {
    const members = await insertMembers(url(), 300, { label: 'grant' })
    const memberIds = members.map((member) => member.memberId)
    await planCrash(emulator.url, { functionName: 'jobs', eventIncludes: 'grant:crash-batch', afterCalls: 30, times: 2 })
    const answer = await admin().ok('admin', 'bulkGrant', { batchId: 'crash-batch', memberIds, points: 7, reason: '补偿测试' })
    expect(answer.done).toBe(false)
    expect(answer.granted).toBeLessThan(300)
    await moveClock(emulator.url, { advanceMs: 3 * MINUTE })
    try {
      for (let tick = 0; tick < 5 && (await admin().ok('admin', 'jobRun', { key: answer.runKey })).run.status !== 'done'; tick++) await timer('minutely')
    } finally {
      await moveClock(emulator.url, { reset: true })
    }
    const { run, findings } = await admin().ok('admin', 'jobRun', { key: answer.runKey })
    expect(run).toMatchObject({ status: 'done', items: 300, errors: 0 })
    // a page worked again after the crash finds its grants posted: together they are the batch, once
    expect((run.outcomes.granted ?? 0) + (run.outcomes.alreadyGranted ?? 0)).toBeGreaterThanOrEqual(300)
    expect(findings).toEqual([])
    const { total } = await db().collection('ledger').where({ kind: 'grant', requestId: 'grant-crash-batch' }).count()
    expect(total).toBe(300)
    const { total: right } = await db()
      .collection('members')
      .where({ _id: db().command.in(memberIds), points: 7 })
      .count()
    expect(right).toBe(300)
    for (const memberId of memberIds.slice(0, 5)) await expectInvariants(url(), memberId)
  })

  test('a quiet minute writes no run; finished runs older than a week are trimmed by the night, with their shards and findings', async () => {
    const runsOf = async (job: string) => (await db().collection('job_runs').where({ job }).count()).total
    const before = await runsOf('orders-unpaid')
    const quiet = await timer('minutely')
    expect(quiet.data.sweeps).toMatchObject({ 'orders-unpaid': null, 'groups-expired': null, 'mall-holds': null })
    expect(await runsOf('orders-unpaid')).toBe(before)

    const old = new Date(Date.now() - 8 * DAY)
    const recent = new Date(Date.now() - DAY)
    for (const [key, finishedAt] of [
      ['old-run:test', old],
      ['recent-run:test', recent],
    ] as const) {
      await db().collection('job_runs').add({ _id: key, job: 'grant', params: {}, width: 1, shards: 1, status: 'done', startedAt: finishedAt, finishedAt })
      await db()
        .collection('job_shards')
        .add({ _id: `${key}#0`, runKey: key, index: 0, from: '', to: '\uffff', cursor: null, status: 'done' })
      await db()
        .collection('job_findings')
        .add({ _id: `${key}|m_x`, runKey: key, documentId: 'm_x', code: 'NOT_FOUND', reason: 'NOT_A_MEMBER', message: '没有这条记录', at: finishedAt })
    }
    const night = await timer('nightly')
    expect((night.data.runs as { removed: number }).removed).toBeGreaterThanOrEqual(1)
    for (const collection of ['job_runs', 'job_shards', 'job_findings']) {
      const { data } = await db()
        .collection(collection)
        .where({ _id: db().command.in(['old-run:test', 'old-run:test#0', 'old-run:test|m_x', 'recent-run:test', 'recent-run:test#0', 'recent-run:test|m_x']) })
        .get()
      expect((data as { _id: string }[]).map((document) => document._id)).toEqual([expect.stringMatching(/^recent-run:test/)])
    }
  })
})
