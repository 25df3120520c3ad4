/**
 * The job runner (backend/platform/job-runner.ts) through the real SDK, the emulator and real
 * worker invocations of the jobs function: a birthday night over 5,000 members, with workers
 * crashing, ticks running side by side, deadlines cutting shards short and a worker outliving its
 * lease. Every member gets the birthday gift exactly once, and the run's progress reads true.
 */
import { birthdaysOn } from '../../domain/membership/birthday'
import { MINUTE, shanghai } from '../support/clock'
import { expectInvariants } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, heldCalls, invocations, moveClock, planCrash, planPause, resumePaused } from '../support/functions'
import { insertMembers } from '../support/members'

const BIRTHDAY_POINTS = 50 // the silver tier's birthday gift

/** Resolves once `condition` holds (looked at every 20 ms, for at most 10 s). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + 10_000
  while (!(await condition())) {
    if (Date.now() > giveUp) throw new Error('the condition did not come true within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

interface Progress {
  key: string
  status: string
  shardsDone: number
  shardsTotal: number
  items: number
  changed: number
  errors: number
  finishedAt: string | null
}

/** An emulator with the demo data; `coupon: false` makes the birthday gift points only (fewer calls per member, for the big runs). */
function harness(env: Record<string, string> = {}, options: { coupon?: boolean } = {}) {
  let emulator: TestEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: true, env })
    // enough birthday coupons for every member here
    await adminApp(emulator.adminUrl).database().collection('coupon_templates').doc('gift-mask').update({ total: 1_000_000 })
    if (options.coupon === false) await adminApp(emulator.adminUrl).database().collection('config').doc('gifts').update({ birthdayCouponTemplateId: null })
    // birthdays are the only work of these nights: no points expire
    await adminApp(emulator.adminUrl).database().collection('config').doc('pointRules').update({ 'expiry.policy': 'never' })
  })
  afterAll(() => emulator?.stop())
  const url = () => emulator.adminUrl
  const db = () => adminApp(url()).database()

  /** `count` members whose birthday is `day`. */
  async function birthdayMembers(day: string, count: number): Promise<string[]> {
    const ids = (await insertMembers(url(), count, { label: `bd${day.slice(5)}` })).map((member) => member.memberId)
    const _ = db().command
    for (let i = 0; i < ids.length; i += 1000) {
      await db()
        .collection('members')
        .where({ _id: _.in(ids.slice(i, i + 1000)) })
        .update({ birthdayMonthDay: birthdaysOn(day)[0] })
    }
    return ids
  }

  /** The nightly timer for `day` (a day already passed, so each test has a run of its own). */
  const nightly = (day: string) => callerFor(url(), null).raw('jobs', { Type: 'Timer', TriggerName: 'nightly', Time: new Date(shanghai(`${day}T02:00:00`)).toISOString() }) as Promise<{ ok: boolean }>
  const minutely = () => callerFor(url(), null).raw('jobs', { Type: 'Timer', TriggerName: 'minutely' }) as Promise<{ ok: boolean; data: { jobs: Progress[] } }>
  const progress = async (day: string) => (await callerFor(url(), null).ok('admin', 'jobRun', { key: `birthdays:${day}` })).run as Progress

  /** Every member got the gift once: points, one ledger entry each, and nothing twice. */
  async function expectGiftedOnce(ids: string[], day: string) {
    const _ = db().command
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000)
      const { total: right } = await db()
        .collection('members')
        .where({ _id: _.in(chunk), points: BIRTHDAY_POINTS })
        .count()
      expect(right).toBe(chunk.length)
    }
    const year = day.slice(0, 4)
    for (const memberId of ids.slice(0, 25)) await expectInvariants(url(), memberId)
    if (options.coupon === false) return
    const { total: coupons } = await db()
      .collection('coupons')
      .where({ memberId: _.in(ids.slice(0, 1000)), source: 'birthday', requestId: `birthday-${year}` })
      .count()
    expect(coupons).toBe(Math.min(1000, ids.length))
  }

  return { url, db, birthdayMembers, nightly, minutely, progress, expectGiftedOnce, emulator: () => emulator }
}

describe('a birthday night over 5,000 members', () => {
  const h = harness({}, { coupon: false })

  test('workers that crash leave their shards leased; once the leases pass, the next ticks finish the run exactly once', async () => {
    const day = '2026-03-03'
    const ids = await h.birthdayMembers(day, 5000)
    await planCrash(h.emulator().url, { functionName: 'jobs', eventKey: 'JobWorker', afterCalls: 40, times: 2 })
    expect(await h.nightly(day)).toMatchObject({ ok: true })
    const cut = await h.progress(day)
    // one shard per worker of the width (8): two workers died, six finished
    expect(cut).toMatchObject({ status: 'running', shardsTotal: 8, shardsDone: 6, errors: 0 })
    expect(cut.items).toBeLessThan(5000)

    // the leases still hold: a tick now starts nobody on those shards
    await h.minutely()
    expect((await h.progress(day)).shardsDone).toBe(6)

    await moveClock(h.emulator().url, { advanceMs: 3 * MINUTE })
    const { data } = await h.minutely()
    expect(data.jobs.find((run) => run.key === `birthdays:${day}`)).toMatchObject({ status: 'done', shardsDone: 8 })
    const done = await h.progress(day)
    // items count each member once: a page worked again after a crash was not counted by the dead worker
    expect(done).toMatchObject({ status: 'done', shardsDone: 8, shardsTotal: 8, errors: 0, items: 5000 })
    expect(done.finishedAt).not.toBeNull()
    await h.expectGiftedOnce(ids, day)
  })
})

describe('nights side by side and ordinary nights', () => {
  const h = harness()

  test('two nights started at once, and a third after, do the work once', async () => {
    const day = '2026-03-04'
    const ids = await h.birthdayMembers(day, 2000)
    const answers = await Promise.all([h.nightly(day), h.nightly(day)])
    expect(answers.every((answer) => answer.ok)).toBe(true)
    await h.nightly(day)
    expect(await h.progress(day)).toMatchObject({ status: 'done', items: 2000, changed: 2 * 2000 })
    await h.expectGiftedOnce(ids, day)
    const { total } = await h
      .db()
      .collection('job_runs')
      .where({ _id: `birthdays:${day}` })
      .count()
    expect(total).toBe(1)
  })

  test('an ordinary night works only the members that have work: the run holds as many items as birthdays', async () => {
    const day = '2026-03-05'
    await h.birthdayMembers('2026-03-06', 300) // not tonight
    const tonight = await h.birthdayMembers(day, 40)
    await h.nightly(day)
    expect(await h.progress(day)).toMatchObject({ status: 'done', items: 40, shardsTotal: 1 })
    await h.expectGiftedOnce(tonight, day)
  })

  test('a start that died half way, after the run and before all its shards, is completed by the next start', async () => {
    const day = '2026-03-09'
    const ids = await h.birthdayMembers(day, 500)
    const key = `birthdays:${day}`
    const shardCount = async () => (await h.db().collection('job_shards').where({ runKey: key }).count()).total
    let cut = false
    for (let afterCalls = 1; afterCalls < 80 && !cut; afterCalls++) {
      await planCrash(h.emulator().url, { functionName: 'jobs', eventKey: 'TriggerName', afterCalls })
      await h.nightly(day).catch(() => undefined)
      const run = (await h.db().collection('job_runs').doc(key).get()).data[0] as { shards: number } | undefined
      if (run) {
        cut = (await shardCount()) < run.shards
        if (!cut) break
      }
    }
    expect(cut).toBe(true)
    await h.nightly(day)
    expect(await h.progress(day)).toMatchObject({ status: 'done', items: 500, shardsTotal: 5, shardsDone: 5 })
    await h.expectGiftedOnce(ids, day)
  })

  test('an unknown run is a typed refusal, and a mini-program user cannot start a worker', async () => {
    expect(await callerFor(h.url(), null).call('admin', 'jobRun', { key: 'birthdays:1999-01-01' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'JOB_RUN_NOT_FOUND' } })
    expect(await callerFor(h.url(), 'o_someone').raw('jobs', { JobWorker: { runKey: 'birthdays:2026-03-04', shardId: 'birthdays:2026-03-04#0' } })).toMatchObject({
      ok: false,
      error: { reason: 'TIMER_ONLY' },
    })
  })
})

describe('deadlines and leases, with 20 ms per database call and a 6-second jobs function', () => {
  const h = harness({ EMULATOR_DB_LATENCY_MS: '20', EMULATOR_TIME_LIMITS_MS: JSON.stringify({ jobs: 6000 }) }, { coupon: false })

  test('a run cut short by the deadlines is finished by the next ticks, once', async () => {
    const day = '2026-03-07'
    const ids = await h.birthdayMembers(day, 2000)
    expect(await h.nightly(day)).toMatchObject({ ok: true })
    const cut = await h.progress(day)
    expect(cut.status).toBe('running')
    expect(cut.items).toBeGreaterThan(0)
    expect(cut.items).toBeLessThan(2000)
    let ticks = 0
    for (; ticks < 20 && (await h.progress(day)).status !== 'done'; ticks++) expect(await h.minutely()).toMatchObject({ ok: true })
    expect(ticks).toBeGreaterThan(0)
    expect(await h.progress(day)).toMatchObject({ status: 'done', items: 2000, errors: 0 })
    await h.expectGiftedOnce(ids, day)
  })
})

describe('a lease taken over, with 20 ms per database call and a 20-second jobs function', () => {
  // long enough that the held worker, once resumed, still has time to work its page and try to commit it
  const h = harness({ EMULATOR_DB_LATENCY_MS: '20', EMULATOR_TIME_LIMITS_MS: JSON.stringify({ jobs: 20_000 }) }, { coupon: false })

  test('a worker whose lease has passed commits nothing more; the tick that takes the shard over finishes it once', async () => {
    const day = '2026-03-08'
    const ids = await h.birthdayMembers(day, 800)
    const shard = async () => (await h.db().collection('job_shards').doc(`birthdays:${day}#0`).get()).data[0] as { items: number; lease: string | null; attempts: number } | undefined
    // the night's worker of the first shard (of 8, a hundred members each) leases it (its first two calls: the run, the lease) and is held before its first page
    await planPause(h.emulator().url, { functionName: 'jobs', eventKey: 'JobWorker', eventIncludes: `"birthdays:${day}#0"`, afterCalls: 2 })
    const night = h.nightly(day)
    await until(async () => (await heldCalls(h.emulator().url)) > 0)
    const first = await shard()
    expect(first).toMatchObject({ attempts: 1, items: 0 })
    expect(first?.lease).toBeTruthy()
    // its lease runs out under it, and a tick takes the shard over before the held worker goes on
    await moveClock(h.emulator().url, { advanceMs: 3 * MINUTE })
    const takeover = h.minutely()
    await until(async () => (await shard())?.attempts === 2)
    await resumePaused(h.emulator().url)
    await Promise.all([night, takeover])
    for (let tick = 0; tick < 20 && (await h.progress(day)).status !== 'done'; tick++) await h.minutely()
    // the held worker went on and worked its page, a call or more per member (beside its two before the pause) …
    const [held] = (await invocations(h.emulator().url, { function: 'jobs', last: 1000 })).filter((one) => one.fault === 'pause')
    const after = (await shard())!
    expect(after.items).toBeGreaterThan(50)
    expect(held.adminCalls).toBeGreaterThan(2 + after.items)
    // … idempotently, and committed none of it: items count each member once
    expect(await h.progress(day)).toMatchObject({ status: 'done', items: 800, errors: 0 })
    expect(after.attempts).toBeGreaterThanOrEqual(2)
    await h.expectGiftedOnce(ids, day)
  })
})
