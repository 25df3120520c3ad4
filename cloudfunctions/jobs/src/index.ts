/**
 * Timer jobs. CloudBase invokes this function from the `nightly` timer trigger
 * (cloudbaserc.json) with `{ Type: 'Timer', TriggerName: 'nightly', Time }` and no user context.
 * Each night it trims outboxes, expires points at the most recent year end passed, and in
 * January runs the tier review of the year before (January 1st; later nights only finish what
 * a run cut short by its time limit left, and find nothing otherwise). Every step is idempotent,
 * so a second or concurrent run changes nothing more. A call from a mini-program user is refused.
 */
import type { CallAnswer } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { businessDay } from '../../../domain/shared/time'
import { birthdaysJob, expiryJob, tierReviewJob, trimJob } from '../../../backend/loyalty'
import { latestCutoffYear } from '../../../domain/loyalty'
import { JOBS } from '../../../backend/compositions/jobs'
import { readWorkerEvent, runProgress, runUntilDone, startRun, workShard, type RunProgress } from '../../../backend/platform/job-runner'
import { loyaltyConfig } from '../../../backend/platform/config-store'
import { ORDER_KINDS } from '../../../backend/compositions/order-kinds'
import { FOLLOWERS } from '../../../backend/compositions/followers'
import { drainFacts, trimFacts, type FactsDrain } from '../../../backend/platform/events'
import { sweepMall, type MallSweep } from '../../../backend/mall'
import { runPromoSweep, type PromoSweep } from '../../../backend/promo'
import { queueCouponExpiryReminders } from '../../../backend/coupons'
import { definePlatformFunction, internalError, type ActionContext, type PlatformEventHandler } from '../../../backend/platform/handler'
import { currentDeadline, withDeadline } from '../../../backend/platform/jobs'

export interface NightlyReport {
  at: string
  trim: RunProgress | null
  expiry: (RunProgress & { cutoffYear: number; expiredPoints: number }) | null
  tierReview: { year: number; reviewed: number; downgraded: number; run: RunProgress } | null
  couponReminders: { queued: number }
  birthdays: RunProgress | null
  facts: { removed: number }
}

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
  const couponReminders = await queueCouponExpiryReminders(now, brand.timeZone)
  const facts = await trimFacts(now)
  return {
    at: at.toISOString(),
    trim: await of(keys.trim),
    expiry: expiry ? { ...expiry, cutoffYear, expiredPoints: expiry.changed } : null,
    tierReview,
    couponReminders,
    birthdays: await of(keys.birthdays),
    facts,
  }
}

export interface MinutelyReport {
  promo: PromoSweep
  mall: MallSweep
  facts: FactsDrain
  /** runs still going: shards cut short by a deadline or left by a crashed worker are taken up here */
  jobs: RunProgress[]
}

/** Every minute: unpaid orders past their 15 minutes, expired group-buys (refunded), stale mall holds, then the facts still to deliver. */
export async function minutely(now: Date): Promise<MinutelyReport> {
  const deadline = currentDeadline()
  const promo = await runPromoSweep(now, ORDER_KINDS, { deadline })
  const mall = await sweepMall(now, ORDER_KINDS, deadline)
  const facts = await drainFacts(FOLLOWERS, now, deadline)
  const jobs = await runUntilDone(deadline)
  return { promo, mall, facts, jobs }
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
