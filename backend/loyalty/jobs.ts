/** The yearly tier review of one member and the ledger invariant check of one member (jobs of member-jobs.ts). */
import type { Tier } from '../../domain/shared/config'
import { startOfYear } from '../../domain/loyalty/expiry'
import type { LoyaltyMember } from '../../domain/loyalty/earning'
import { memberInvariantViolations, unionById } from '../../domain/loyalty/invariants'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import type { MemberRecord } from '../../domain/membership'
import { tierForGrowth } from '../../domain/loyalty/tiers'
import { database } from '../platform/cloud'
import { memberEntries } from './expiry'
import { flushOutbox } from './ledger'
import { findMember } from '../membership'

// ---------------------------------------------------------------------------------------------
// Yearly tier review (保级)

export type ReviewedMember = Pick<LoyaltyMember, '_id' | 'tierId' | 'tierHistory' | 'outbox' | 'tierReviewedYear'>

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
 * One member of the yearly review: if the growth earned during `year` is below the member's tier's
 * threshold, down to the tier that growth reaches; never up. A member whose tier changed after
 * the year ended (an upgrade earned since) keeps it. The change, its tierHistory item and
 * `tierReviewedYear` are one conditional update guarded on the tier read and on the member not
 * being reviewed for this year yet, so a second or concurrent run records nothing twice.
 * 1 when the member moved down.
 */
export async function reviewMemberTier(member: ReviewedMember, year: number, tiers: Tier[], now: Date, timeZone: string): Promise<number> {
  const db = database()
  const _ = db.command
  const yearEnd = startOfYear(year + 1, timeZone).getTime()
  const current = tiers.find((tier) => tier._id === member.tierId)
  const changedSince = (member.tierHistory ?? []).some((change) => new Date(change.at).getTime() >= yearEnd)
  const target = current && !changedSince ? tierForGrowth(await growthEarnedIn(member, year), tiers) : undefined
  const guard = { _id: member._id, tierId: member.tierId, tierReviewedYear: notReviewedIn(year) }
  if (!current || !target || target.rank >= current.rank) {
    await db.collection('members').where(guard).update({ tierReviewedYear: year })
    return 0
  }
  const { updated } = (await db
    .collection('members')
    .where(guard)
    .update({
      tierId: target._id,
      tierReviewedYear: year,
      tierHistory: _.push({ each: [{ from: current._id, to: target._id, reason: 'yearly-review', at: now }] }),
    })) as { updated?: number }
  return updated === 1 ? 1 : 0
}

export function notReviewedIn(year: number) {
  const _ = database().command
  return _.exists(false).or(_.lt(year))
}

// ---------------------------------------------------------------------------------------------
// Invariants

/**
 * Checks one member. The ledger is read before the member: an entry applied after the ledger
 * read is still in the member's outbox (trimmed only after 30 minutes), so a member that is
 * written to meanwhile is not reported falsely.
 */
export async function checkMember(memberId: string): Promise<string[]> {
  const ledger = await memberEntries({ _id: memberId, outbox: {} })
  const member = await findMember(memberId)
  if (!member) return ledger.length > 0 ? [`会员不存在，但账本有 ${ledger.length} 条记录`] : ['会员不存在']
  return memberInvariantViolations(member, unionById<Pick<LedgerEntry, '_id' | 'points' | 'balance' | 'locked'>>(ledger, member.outbox))
}
