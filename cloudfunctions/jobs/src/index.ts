/**
 * Timer jobs. CloudBase invokes this function from the `nightly` and `minutely` timer triggers
 * (cloudbaserc.json) with `{ Type: 'Timer', TriggerName, Time }` and no user context, and the job
 * runner invokes it for its workers. Each night starts the night's runs (outbox trim, points
 * expiry at the most recent year end passed, birthdays, coupon reminders, and in January the tier
 * review of the year before); each minute starts the sweeps that have work, delivers facts, and
 * continues every run still going. Every step is idempotent, so a second or concurrent run
 * changes nothing more. A call from a mini-program user is refused.
 */
import type { CallAnswer } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { businessDay } from '../../../domain/shared/time'
import { birthdaysJob, expiryJob, tierReviewJob, trimJob } from '../../../backend/loyalty'
import { couponRemindersJob, reminderPrefixes } from '../../../backend/coupons'
import { latestCutoffYear } from '../../../domain/loyalty'
import { JOBS } from '../../../backend/compositions/jobs'
import { readWorkerEvent, runProgress, runUntilDone, startRun, startSweep, trimRuns, workShard, type RunProgress } from '../../../backend/platform/job-runner'
import { loyaltyConfig } from '../../../backend/platform/config-store'
import { SWEEP_WAVES } from '../../../backend/compositions/sweeps'
import { FOLLOWERS } from '../../../backend/compositions/followers'
import { drainFacts, trimFacts, type FactsDrain } from '../../../backend/platform/events'
import { trimScanCodes } from '../../../backend/platform/scan-codes'
import { definePlatformFunction, internalError, type ActionContext, type PlatformEventHandler } from '../../../backend/platform/handler'
import { currentDeadline, withDeadline } from '../../../backend/platform/jobs'
import { businessNow } from '../../../backend/platform/clock'

export interface NightlyReport {
  at: string
  trim: RunProgress | null
  expiry: (RunProgress & { cutoffYear: number; expiredPoints: number }) | null
  tierReview: { year: number; reviewed: number; downgraded: number; run: RunProgress } | null
  couponReminders: RunProgress | null
  birthdays: RunProgress | null
  facts: { removed: number }
  /** member, coupon and pickup codes (and clerks' failure counts) a day past their expiry, removed */
  scanCodes: { removed: number }
  /** job runs finished more than RUNS_KEPT_MS ago, removed */
  runs: { removed: number }
}

const RUNS_KEPT_MS = 7 * 86_400_000

/** A timer's Time may stand for "now" when it is not in the future (a late or repeated trigger). */
const FUTURE_SLACK_MS = 5 * 60_000

export function triggerInstant(time: unknown, now: Date): Date {
  const at = typeof time === 'string' || typeof time === 'number' ? new Date(time) : null
  return at && !Number.isNaN(at.getTime()) && at.getTime() <= now.getTime() + FUTURE_SLACK_MS ? at : now
}

/**
 * Each night: starts the night's runs on the job runner (outbox trim, points expiry for the most
 * recent year end passed, birthdays, and in January the tier review of the year before) and
 * works them through to the end or the deadline (the minute timer finishes what is left).
 */
export async function nightly(at: Date, now: Date): Promise<NightlyReport> {
  const { rules, brand, tiers } = await loyaltyConfig()
  const deadline = currentDeadline()
  const day = businessDay(at, brand.timeZone)
  const cutoffYear = latestCutoffYear(at, brand.timeZone)
  const keys = {
    trim: (await startRun(trimJob, `trim:${day}`, {}, now))._id,
    expiry: rules.expiry.policy === 'never' ? null : (await startRun(expiryJob, `expiry:${cutoffYear}:${day}`, { cutoffYear }, now))._id,
    birthdays: (await startRun(birthdaysJob, `birthdays:${day}`, { day }, now))._id,
    couponReminders: (await startRun(couponRemindersJob, `coupon-reminders:${day}`, { timeZone: brand.timeZone }, now, { prefixes: await reminderPrefixes(now) }))._id,
    tierReview:
      day.slice(5, 7) === '01'
        ? (await startRun(tierReviewJob, `tier-review:${Number(day.slice(0, 4)) - 1}`, { year: Number(day.slice(0, 4)) - 1, higherTiers: tiers.slice(1).map((tier) => tier._id) }, now))._id
        : null,
  }
  const progress = new Map((await runUntilDone(deadline)).map((one) => [one.key, one]))
  const of = async (key: string | null) => (key ? (progress.get(key) ?? (await runProgress(key))) : null)
  const expiry = await of(keys.expiry)
  const review = await of(keys.tierReview)
  const tierReview = review ? { year: Number(day.slice(0, 4)) - 1, reviewed: review.items, downgraded: review.changed, run: review } : null
  const facts = await trimFacts(now)
  const scanCodes = await trimScanCodes(now)
  const runs = await trimRuns(new Date(now.getTime() - RUNS_KEPT_MS))
  return {
    at: at.toISOString(),
    trim: await of(keys.trim),
    expiry: expiry ? { ...expiry, cutoffYear, expiredPoints: expiry.changed } : null,
    tierReview,
    couponReminders: await of(keys.couponReminders),
    birthdays: await of(keys.birthdays),
    facts,
    scanCodes,
    runs,
  }
}

export interface MinutelyReport {
  /** each sweep's run this minute (started now or still going), null when it had nothing to do */
  sweeps: Record<string, RunProgress | null>
  facts: FactsDrain
  /** every run seen going: shards cut short by a deadline or left by a crashed worker are taken up here */
  jobs: RunProgress[]
}

/**
 * Every minute: the sweeps that have work, wave after wave (unpaid orders past their 15 minutes,
 * seats and stale mall holds; then expired group-buys refunded and group notices), then the facts
 * still to deliver, then every run still going.
 */
export async function minutely(now: Date): Promise<MinutelyReport> {
  const deadline = currentDeadline()
  const sweeps: Record<string, RunProgress | null> = {}
  for (const wave of SWEEP_WAVES) {
    const started = await Promise.all(wave.map(async (job) => [job.name, await startSweep(job, {}, businessNow())] as const))
    const keys = new Set(started.flatMap(([, run]) => (run ? [run._id] : [])))
    const seen = new Map((keys.size > 0 ? await runUntilDone(deadline, keys) : []).map((one) => [one.key, one]))
    for (const [name, run] of started) sweeps[name] = run ? (seen.get(run._id) ?? (await runProgress(run._id))) : null
  }
  // facts before the long runs: a big night continued here must not hold back deliveries (and the minute's calls come in one order)
  const facts = await drainFacts(FOLLOWERS, now, deadline)
  const jobs = await runUntilDone(deadline)
  return { sweeps, facts, jobs }
}

type TimerJob = (event: Record<string, unknown>, now: Date) => Promise<unknown>

/** A Map, not a plain object: `constructor`, `toString` or `__proto__` must not name a job. */
export const TRIGGERS: ReadonlyMap<string, TimerJob> = new Map<string, TimerJob>([
  ['nightly', (event, now) => nightly(triggerInstant(event.Time, now), now)],
  ['minutely', (_event, now) => minutely(now)],
])

/** Timers and the workers they start run without a WeChat user; a mini-program user is refused. */
const timerOnly = () => new AppError('TIMER_ONLY', '定时任务只能由云开发定时触发器运行').toJSON()

async function onTimer(event: Record<string, unknown>, caller: ActionContext['caller'], now: Date): Promise<CallAnswer<unknown>> {
  if (caller.openid) return { ok: false, error: timerOnly() }
  const name = event.TriggerName
  const run = typeof name === 'string' ? TRIGGERS.get(name) : undefined
  if (!run) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : typeof name
    const fields = [{ path: 'TriggerName', message: `must be one of ${[...TRIGGERS.keys()].join(', ')}` }]
    return { ok: false, error: new AppError('UNKNOWN_TRIGGER', `unknown timer trigger ${shown}`, fields).toJSON() }
  }
  try {
    return { ok: true, data: await run(event, now) }
  } catch (error) {
    return { ok: false, error: internalError(`jobs ${name}`, error) }
  }
}

/** A worker invocation a tick started (job-runner.ts): works one shard until it is done or the deadline. */
async function onWorker(work: { runKey: string; shardId: string }, caller: ActionContext['caller']): Promise<CallAnswer<unknown>> {
  if (caller.openid) return { ok: false, error: timerOnly() }
  try {
    return { ok: true, data: await workShard(JOBS, work.runKey, work.shardId, currentDeadline()) }
  } catch (error) {
    return { ok: false, error: internalError(`jobs worker ${work.shardId}`, error) }
  }
}

const events: PlatformEventHandler = (event, { caller, now }) => {
  if (event.Type === 'Timer') return onTimer(event, caller, now)
  const work = readWorkerEvent(event)
  return work ? onWorker(work, caller) : undefined
}

export const main = withDeadline(definePlatformFunction('jobs', events))
