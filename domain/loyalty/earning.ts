/**
 * Earning rules that are not a plain ledger entry: the check-in streak bonus (连续签到).
 * (Points the mini-program claimed for sharing, likes, reads and reviews are retired: WeChat
 * forbids rewarding a share and the server saw none of them; old entries keep their kinds.)
 *
 * State kept on the member document for them (written in the same atomic update as the entry,
 * or as a guarded reservation before it):
 *   checkinDays         the last N business days checked in (N = the streak's everyDays)
 *   lastCheckinBonusDay the business day of the latest streak bonus
 */
import type { MemberRecord } from '../membership'
import { previousDay } from '../shared/time'

export interface EarningFields {
  checkinDays?: string[]
  lastCheckinBonusDay?: string | null
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
