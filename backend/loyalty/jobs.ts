/**
 * Job bodies shared by the `admin` function (run by hand from the console) and the `jobs`
 * function (the nightly timer): points expiry, the yearly tier review, outbox trimming and the
 * ledger invariant check. Each pages through members by _id (≤ 1000 per query), works on a
 * page with bounded concurrency, stops at a deadline, and is safe to run twice or
 * concurrently: every write is idempotent by id or guarded, and members already handled drop
 * out of the next run's query, so an unfinished run is simply continued by the next one.
 */
import type { Tier } from '../../domain/shared/config'
import { cutoffInstant, latestCutoffYear, startOfYear, type ExpiryPolicy } from '../../domain/loyalty/expiry'
import type { LoyaltyMember } from '../../domain/loyalty/earning'
import { memberInvariantViolations, unionById } from '../../domain/loyalty/invariants'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import type { MemberRecord } from '../../domain/membership'
import { tierForGrowth } from '../../domain/loyalty/tiers'
import { businessNow } from '../platform/clock'
import { database } from '../platform/cloud'
import { CONCURRENCY, forEachPage, mapLimit, type RunLimits } from '../platform/jobs'
import { expireMemberPoints, memberEntries } from './expiry'
import { flushOutbox, trimOutbox } from './ledger'
import { findMember } from '../membership'

export function forEachMemberPage<T extends { _id: string }>(
  where: Record<string, unknown>,
  fields: Record<string, boolean>,
  handlePage: (members: T[]) => Promise<void>,
  limits: RunLimits = {},
): Promise<boolean> {
  return forEachPage('members', where, handlePage, limits, fields)
}

// ---------------------------------------------------------------------------------------------
// Points expiry

export interface ExpiryRun {
  asOf: string
  cutoffYear: number
  members: number
  expiredPoints: number
  failed: number
  complete: boolean
}

/** Expires, for every member, the lots whose expiry instant is the latest year end before asOf. */
export async function runPointsExpiry(asOf: Date, policy: ExpiryPolicy, timeZone: string, limits: RunLimits = {}): Promise<ExpiryRun> {
  const cutoffYear = latestCutoffYear(asOf, timeZone)
  const run: ExpiryRun = { asOf: asOf.toISOString(), cutoffYear, members: 0, expiredPoints: 0, failed: 0, complete: true }
  if (policy === 'never') return run
  const _ = database().command
  run.complete = await forEachMemberPage<{ _id: string }>(
    { points: _.gt(0), pointsExpiredThrough: _.exists(false).or(_.lt(cutoffYear)) },
    {},
    async (members) => {
      await mapLimit(members, CONCURRENCY, async (member) => {
        try {
          const { expired } = await expireMemberPoints(member._id, cutoffYear, businessNow(), timeZone)
          if (expired > 0) {
            run.members++
            run.expiredPoints += expired
          }
        } catch (error) {
          run.failed++
          console.error(`[expiry] ${member._id}`, error)
        }
      })
    },
    limits,
  )
  return run
}

/** The cutoff instant of the run for asOf (for reports). */
export function expiryCutoff(asOf: Date, timeZone: string): Date {
  return cutoffInstant(latestCutoffYear(asOf, timeZone), timeZone)
}

// ---------------------------------------------------------------------------------------------
// Yearly tier review (保级)

export interface TierReviewRun {
  year: number
  reviewed: number
  downgraded: number
  failed: number
  complete: boolean
}

type ReviewedMember = Pick<LoyaltyMember, '_id' | 'tierId' | 'tierHistory' | 'outbox' | 'tierReviewedYear'>

/** Σ growth of the member's entries whose business day falls in the year. */
export async function growthEarnedIn(member: Pick<MemberRecord, '_id' | 'outbox'>, year: number): Promise<number> {
  await flushOutbox(member as MemberRecord)
  const _ = database().command
  const { data } = await database()
    .collection('ledger')
    .aggregate()
    .match({ memberId: member._id, businessDay: _.gte(`${year}-01-01`).and(_.lte(`${year}-12-31`)) })
    .group({ _id: null, growth: _.aggregate.sum('$growth') })
    .end()
  return (data[0] as { growth?: number } | undefined)?.growth ?? 0
}

/**
 * Members whose growth earned during `year` is below their tier's threshold move down to the
 * tier that growth reaches; never up. A member whose tier changed after the year ended (an
 * upgrade earned since) keeps it. The change, its tierHistory item and `tierReviewedYear` are
 * one conditional update guarded on the tier read and on the member not being reviewed for
 * this year yet, so a second or concurrent run records nothing twice.
 */
export async function runTierReview(year: number, tiers: Tier[], now: Date, timeZone: string, limits: RunLimits = {}): Promise<TierReviewRun> {
  const run: TierReviewRun = { year, reviewed: 0, downgraded: 0, failed: 0, complete: true }
  const higher = tiers.slice(1).map((tier) => tier._id)
  if (higher.length === 0) return run
  const db = database()
  const _ = db.command
  const yearEnd = startOfYear(year + 1, timeZone).getTime()
  const notYet = () => _.exists(false).or(_.lt(year))
  run.complete = await forEachMemberPage<ReviewedMember>(
    { tierId: _.in(higher), tierReviewedYear: notYet() },
    { tierId: true, tierHistory: true, outbox: true, tierReviewedYear: true },
    async (members) => {
      await mapLimit(members, CONCURRENCY, async (member) => {
        try {
          const current = tiers.find((tier) => tier._id === member.tierId)
          const changedSince = (member.tierHistory ?? []).some((change) => new Date(change.at).getTime() >= yearEnd)
          const target = current && !changedSince ? tierForGrowth(await growthEarnedIn(member, year), tiers) : undefined
          const guard = { _id: member._id, tierId: member.tierId, tierReviewedYear: notYet() }
          if (!current || !target || target.rank >= current.rank) {
            const { updated } = (await db.collection('members').where(guard).update({ tierReviewedYear: year })) as { updated?: number }
            if (updated === 1) run.reviewed++
            return
          }
          const { updated } = (await db
            .collection('members')
            .where(guard)
            .update({
              tierId: target._id,
              tierReviewedYear: year,
              tierHistory: _.push({ each: [{ from: current._id, to: target._id, reason: 'yearly-review', at: now }] }),
            })) as { updated?: number }
          if (updated === 1) {
            run.reviewed++
            run.downgraded++
          }
        } catch (error) {
          run.failed++
          console.error(`[tier review] ${member._id}`, error)
        }
      })
    },
    limits,
  )
  return run
}

// ---------------------------------------------------------------------------------------------
// Outboxes

export interface TrimRun {
  members: number
  trimmed: number
  complete: boolean
}

/** Drops outbox entries older than OUTBOX_KEPT_MS (30 minutes), after making sure they are in the ledger. */
export async function trimOutboxes(now: Date, limits: RunLimits = {}): Promise<TrimRun> {
  const run: TrimRun = { members: 0, trimmed: 0, complete: true }
  const _ = database().command
  run.complete = await forEachMemberPage<{ _id: string }>(
    { outbox: _.neq({}) },
    {},
    async (members) => {
      await mapLimit(members, CONCURRENCY, async (member) => {
        try {
          const trimmed = await trimOutbox(member._id, now)
          if (trimmed > 0) {
            run.members++
            run.trimmed += trimmed
          }
        } catch (error) {
          console.error(`[trim] ${member._id}`, error)
        }
      })
    },
    limits,
  )
  return run
}

// ---------------------------------------------------------------------------------------------
// Invariants

export interface InvariantRun {
  checked: number
  violations: { memberId: string; message: string }[]
}

/**
 * Checks one member. The ledger is read before the member: an entry applied after the ledger
 * read is still in the member's outbox (trimmed only after 30 minutes), so a member that is
 * written to meanwhile is not reported falsely.
 */
export async function checkMember(memberId: string): Promise<string[]> {
  const ledger = await memberEntries({ _id: memberId, outbox: {} })
  const member = await findMember(memberId)
  if (!member) return ledger.length > 0 ? [`会员不存在，但账本有 ${ledger.length} 条记录`] : ['会员不存在']
  return memberInvariantViolations(member, unionById<Pick<LedgerEntry, '_id' | 'points' | 'balance'>>(ledger, member.outbox))
}

export async function checkInvariants(memberIds: string[] | undefined, limits: RunLimits = {}): Promise<InvariantRun> {
  const run: InvariantRun = { checked: 0, violations: [] }
  const check = async (memberId: string) => {
    const messages = await checkMember(memberId)
    run.checked++
    for (const message of messages) run.violations.push({ memberId, message })
  }
  if (memberIds) {
    await mapLimit([...new Set(memberIds)], CONCURRENCY, check)
  } else {
    await forEachMemberPage<{ _id: string }>({}, {}, (members) => mapLimit(members, CONCURRENCY, (member) => check(member._id)).then(() => undefined), limits)
  }
  run.violations.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
  return run
}
