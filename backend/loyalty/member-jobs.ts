/**
 * The nightly jobs over members, on the job runner (backend/platform/job-runner.ts): each selects
 * by an index only the members with work that night, and works one member idempotently.
 */
import type { MemberRecord } from '../../domain/membership'
import { AppError } from '../../domain/shared/errors'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { outcome, type Job } from '../platform/job-runner'
import { birthdayMembers, giveBirthdayGifts } from './birthday'
import { expireMemberPoints } from './expiry'
import { checkMember, notReviewedIn, reviewMemberTier, type ReviewedMember } from './jobs'
import { OUTBOX_KEPT_MS, postEntry, trimOutbox } from './ledger'

/** 积分过期: members with points whose lots up to the cutoff year have not been expired yet. */
export const expiryJob: Job<{ cutoffYear: number }> = {
  name: 'expiry',
  collection: 'members',
  where: ({ cutoffYear }) => {
    const _ = database().command
    return { points: _.gt(0), pointsExpiredThrough: _.exists(false).or(_.lt(cutoffYear)) }
  },
  async work(member, { cutoffYear }, now) {
    const { brand } = await loyaltyConfig()
    return (await expireMemberPoints(member._id, cutoffYear, now, brand.timeZone)).expired
  },
}

/** Outbox trim: members whose oldest outbox entry is older than OUTBOX_KEPT_MS (by the outboxOldestAt index). */
export const trimJob: Job<Record<string, never>> = {
  name: 'trim',
  collection: 'members',
  where: (_params, now) => ({ outboxOldestAt: database().command.lte(new Date(now.getTime() - OUTBOX_KEPT_MS)) }),
  work: (member, _params, now) => trimOutbox(member._id, now),
}

/** 生日礼: members whose birthday is the run's day (by the birthday index). */
export const birthdaysJob: Job<{ day: string }> = {
  name: 'birthdays',
  collection: 'members',
  where: ({ day }) => birthdayMembers(day),
  fields: { tierId: true },
  async work(member, { day }, now) {
    const { tiers, gifts } = await loyaltyConfig()
    return giveBirthdayGifts(member as unknown as Pick<MemberRecord, '_id' | 'tierId'>, day, tiers, gifts.birthdayCouponTemplateId, now)
  },
}

/** 保级: members of a tier above the first not reviewed for `year` yet; a change is a member moved down. */
export const tierReviewJob: Job<{ year: number; higherTiers: string[] }> = {
  name: 'tier-review',
  collection: 'members',
  where: ({ year, higherTiers }) => ({ tierId: database().command.in(higherTiers), tierReviewedYear: notReviewedIn(year) }),
  fields: { tierId: true, tierHistory: true, outbox: true, tierReviewedYear: true },
  async work(member, { year }, now) {
    const { tiers, brand } = await loyaltyConfig()
    return reviewMemberTier(member as unknown as ReviewedMember, year, tiers, now, brand.timeZone)
  },
}

/** Messages of one member's violations in a finding's message, one per line. */
export const VIOLATION_SEPARATOR = '\n'

/**
 * 账本核对: every member (or the listed ones); a member whose balances disagree with the ledger
 * is the run's finding (INVARIANT_VIOLATED), its message one line per violation.
 */
async function checkOne(member: { _id: string }): Promise<number> {
  const violations = await checkMember(member._id)
  if (violations.length > 0) throw new AppError('INVARIANT_VIOLATED', violations.join(VIOLATION_SEPARATOR))
  return 0
}

export const invariantsJob: Job<{ memberIds: string[] }> = {
  name: 'invariants',
  collection: 'members',
  where: () => ({}),
  ids: ({ memberIds }) => memberIds,
  missing: 'NOT_A_MEMBER',
  work: checkOne,
}

/** The same job over every member: a run over a list is `invariantsJob`. */
export const allInvariantsJob: Job<Record<string, never>> = { name: 'invariants-all', collection: 'members', where: () => ({}), work: checkOne }

export type GrantParams = {
  batchId: string
  memberIds: string[]
  points: number
  balance: number
  reason: string
  /** the business day of the call that started the batch */
  day: string
}

export function grantEntryId(batchId: string, memberId: string): string {
  return `grant:${batchId}:${memberId}`
}

/** 批量发放: points and/or stored value for the listed members, one ledger entry per member and batch. */
export const grantJob: Job<GrantParams> = {
  name: 'grant',
  collection: 'members',
  where: () => ({}),
  ids: ({ memberIds }) => memberIds,
  missing: 'NOT_A_MEMBER',
  async work(member, { batchId, points, balance, reason, day }, now) {
    const entry: LedgerEntry = {
      _id: grantEntryId(batchId, member._id),
      memberId: member._id,
      kind: 'grant',
      points,
      balance,
      growth: 0,
      requestId: `grant-${batchId}`,
      businessDay: day,
      createdAt: now,
      description: reason,
      detail: { batchId },
    }
    const posted = await postEntry(entry)
    return posted.replayed ? outcome('alreadyGranted') : outcome('granted', 1)
  },
}
