/**
 * The nightly jobs over members, on the job runner (backend/platform/job-runner.ts): each selects
 * by an index only the members with work that night, and works one member idempotently.
 */
import type { MemberRecord } from '../../domain/membership'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import type { Job } from '../platform/job-runner'
import { birthdayMembers, giveBirthdayGifts } from './birthday'
import { expireMemberPoints } from './expiry'
import { notReviewedIn, reviewMemberTier, type ReviewedMember } from './jobs'
import { OUTBOX_KEPT_MS, trimOutbox } from './ledger'

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
