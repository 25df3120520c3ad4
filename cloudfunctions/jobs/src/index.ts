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
import { grantBirthdayGifts, runPointsExpiry, runTierReview, trimOutboxes, type BirthdayRun, type ExpiryRun, type TierReviewRun, type TrimRun } from '../../../backend/loyalty'
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
  trim: TrimRun
  expiry: ExpiryRun
  tierReview: TierReviewRun | null
  couponReminders: { queued: number }
  birthdays: BirthdayRun
  facts: { removed: number }
}

/** A timer's Time may stand for "now" when it is not in the future (a late or repeated trigger). */
const FUTURE_SLACK_MS = 5 * 60_000

export function triggerInstant(time: unknown, now: Date): Date {
  const at = typeof time === 'string' || typeof time === 'number' ? new Date(time) : null
  return at && !Number.isNaN(at.getTime()) && at.getTime() <= now.getTime() + FUTURE_SLACK_MS ? at : now
}

export async function nightly(at: Date, now: Date): Promise<NightlyReport> {
  const { rules, brand, tiers, gifts } = await loyaltyConfig()
  const deadline = currentDeadline()
  const trim = await trimOutboxes(now, { deadline })
  const expiry = await runPointsExpiry(at, rules.expiry.policy, brand.timeZone, { deadline })
  const day = businessDay(at, brand.timeZone)
  const tierReview = day.slice(5, 7) === '01' ? await runTierReview(Number(day.slice(0, 4)) - 1, tiers, now, brand.timeZone, { deadline }) : null
  const couponReminders = await queueCouponExpiryReminders(now, brand.timeZone)
  const birthdays = await grantBirthdayGifts(at, brand.timeZone, tiers, gifts.birthdayCouponTemplateId, { deadline })
  const facts = await trimFacts(now)
  return { at: at.toISOString(), trim, expiry, tierReview, couponReminders, birthdays, facts }
}

export interface MinutelyReport {
  promo: PromoSweep
  mall: MallSweep
  facts: FactsDrain
}

/** Every minute: unpaid orders past their 15 minutes, expired group-buys (refunded), stale mall holds, then the facts still to deliver. */
export async function minutely(now: Date): Promise<MinutelyReport> {
  const deadline = currentDeadline()
  const promo = await runPromoSweep(now, ORDER_KINDS, { deadline })
  const mall = await sweepMall(now, ORDER_KINDS, deadline)
  const facts = await drainFacts(FOLLOWERS, now, deadline)
  return { promo, mall, facts }
}

type TimerJob = (event: Record<string, unknown>, now: Date) => Promise<unknown>

/** A Map, not a plain object: `constructor`, `toString` or `__proto__` must not name a job. */
export const TRIGGERS: ReadonlyMap<string, TimerJob> = new Map<string, TimerJob>([
  ['nightly', (event, now) => nightly(triggerInstant(event.Time, now), now)],
  ['minutely', (_event, now) => minutely(now)],
])

async function onTimer(event: Record<string, unknown>, caller: ActionContext['caller'], now: Date): Promise<CallAnswer<unknown>> {
  if (caller.openid) return { ok: false, error: new AppError('TIMER_ONLY', '定时任务只能由云开发定时触发器运行').toJSON() }
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

const timer: PlatformEventHandler = (event, { caller, now }) => (event.Type === 'Timer' ? onTimer(event, caller, now) : undefined)

export const main = withDeadline(definePlatformFunction('jobs', timer))
