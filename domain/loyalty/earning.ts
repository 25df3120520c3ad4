/**
 * Earning rules that are not a plain ledger entry: the check-in streak bonus (连续签到) and
 * behaviour points (分享 / 点赞 / 阅读 / 评价) with a daily cap.
 *
 * State kept on the member document for them (written in the same atomic update as the entry,
 * or as a guarded reservation before it):
 *   checkinDays         the last N business days checked in (N = the streak's everyDays)
 *   lastCheckinBonusDay the business day of the latest streak bonus
 *   earnCaps            { [day]: { [behaviour]: refs } } for today only: the content refs that
 *                       earned points today; its length is the day's count against dailyCap
 */
import type { EarnBehaviour } from '../contract'
import type { EntryKind } from '../shared/ledger-entry'
import type { MemberRecord } from '../membership'
import { previousDay } from '../shared/time'

export interface EarningFields {
  checkinDays?: string[]
  lastCheckinBonusDay?: string | null
  earnCaps?: Record<string, Partial<Record<EarnBehaviour, string[]>>>
  /** the last calendar year whose tier review this member has had (see backend/jobs.ts) */
  tierReviewedYear?: number
  /** the last cutoff year whose points expiry this member has had (see backend/expiry.ts) */
  pointsExpiredThrough?: number
}

export type LoyaltyMember = MemberRecord & EarningFields

/** How many check-in days the member keeps: enough to see one full streak. */
export function checkinWindow(everyDays: number | undefined): number {
  return Math.max(2, everyDays ?? 7)
}

export function checkinBonusEntryId(memberId: string, day: string): string {
  return `checkin-bonus:${memberId}:${day}`
}

export function checkinBonusDescription(everyDays: number): string {
  return `连续签到 ${everyDays} 天奖励`
}

/** Consecutive days checked in up to and including `today`, as far as the window shows. */
export function streakInWindow(days: string[], today: string): number {
  let streak = 0
  let expected = today
  for (let i = days.length - 1; i >= 0; i--) {
    if (days[i] !== expected) break
    streak++
    expected = previousDay(expected)
  }
  return streak
}

/**
 * Whether today's check-in completes an every-N-th consecutive day. The window holds the last
 * N days; when they are N consecutive days ending today the streak is at least N, and it is a
 * multiple of N exactly when no bonus was given on one of the N − 1 days before today (a bonus
 * on today itself is this check-in's own, seen again on a retry).
 */
export function streakBonusDue(days: string[], today: string, everyDays: number, lastBonusDay: string | null | undefined): boolean {
  const window = days.slice(-everyDays)
  if (window.length < everyDays || streakInWindow(window, today) < everyDays) return false
  return !(lastBonusDay && lastBonusDay >= window[0] && lastBonusDay < today)
}

/** One earning per behaviour, member, day and piece of content. */
export function earnEntryId(behaviour: EarnBehaviour, memberId: string, day: string, ref: string): string {
  return `${behaviour}:${memberId}:${day}:${ref}`
}

/** The ledger kind of a behaviour's points: the behaviour itself (分享 / 点赞 / 阅读 / 评价). */
export function earnEntryKind(behaviour: EarnBehaviour): EntryKind {
  return behaviour
}

export const EARN_DESCRIPTIONS: Record<EarnBehaviour, string> = {
  share: '分享奖励',
  like: '点赞奖励',
  read: '阅读奖励',
  review: '评价奖励',
}

/** Earnings left today after this ref's: by its place in the day's list, so a retry answers alike. */
export function remainingAfter(refs: string[], ref: string, dailyCap: number): number {
  const index = refs.indexOf(ref)
  return Math.max(0, dailyCap - (index < 0 ? refs.length : index + 1))
}

/** The days before `today` whose earn counters a reservation clears on the way (all but today's). */
export function earlierDays(today: string, count = 7): string[] {
  const days: string[] = []
  let day = today
  for (let i = 0; i < count; i++) {
    day = previousDay(day)
    days.push(day)
  }
  return days
}

/** Earn counter days other than today still on the member (left when they skipped a week). */
export function staleEarnDays(earnCaps: EarningFields['earnCaps'], today: string): string[] {
  return Object.keys(earnCaps ?? {}).filter((day) => day !== today)
}
