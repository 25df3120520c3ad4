/**
 * 签到: one check-in per business day, with the rule's points and growth, and a streak bonus on
 * every N-th consecutive day.
 *
 * An ordinary day costs 2 database calls on a warm instance: the one conditional update that
 * applies the entry (guarded by the member's `lastCheckinDay`, and pushing today onto the
 * `checkinDays` window in the same update), and the ledger copy. The streak is read off the member the update returns; only a
 * bonus day (a second entry, `checkin-bonus:<member>:<day>`) or a tier change costs more.
 */
import type { ActionResults } from '../../domain/contract'
import { checkinBonusDescription, checkinBonusEntryId, checkinWindow, streakBonusDue, type LoyaltyMember } from '../../domain/loyalty/earning'
import { AppError } from '../../domain/shared/errors'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { CHECKIN_DESCRIPTION, checkinEntryId, toLedgerEntryView } from '../../domain/loyalty/loyalty'
import { memberIdFor, type MemberRecord } from '../../domain/membership'
import { businessDay } from '../../domain/shared/time'
import { database, type Caller } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { requireMember } from '../platform/handler'
import { netPointsAfter, postEntry, type NaturalGuard, type Posted } from '../loyalty/ledger'
import { upgradeIfEarned } from '../loyalty/tiers'

export async function checkin(requestId: string, caller: Caller, now: Date): Promise<ActionResults['loyalty']['checkin']> {
  const memberId = memberIdFor(requireMember(caller))
  const { rules, brand, tiers } = await loyaltyConfig()
  const day = businessDay(now, brand.timeZone)
  const streak = rules.checkin.streakBonus
  const _ = database().command
  const posted = await postEntry(
    {
      _id: checkinEntryId(memberId, day),
      memberId,
      kind: 'checkin',
      points: rules.checkin.points,
      balance: 0,
      growth: rules.checkin.growth,
      requestId,
      businessDay: day,
      createdAt: now,
      description: CHECKIN_DESCRIPTION,
    },
    {
      extraUpdate: { checkinDays: _.push({ each: [day], slice: -checkinWindow(streak?.everyDays) }), lastCheckinDay: day },
      naturalGuard: dayGuard('lastCheckinDay', day),
    },
  )
  if (posted.replayed && posted.entry.requestId !== requestId) throw new AppError('ALREADY_CHECKED_IN', '今天已经签到过了，明天再来吧')

  // A retry sees the same member window and the same last bonus day, so it decides alike.
  let member = posted.member as LoyaltyMember
  let bonus: Posted | null = null
  const checkedInDay = posted.entry.businessDay
  if (streak && streak.points > 0 && streakBonusDue(member.checkinDays ?? [], checkedInDay, streak.everyDays, member.lastCheckinBonusDay)) {
    bonus = await postEntry(bonusEntry(memberId, posted.entry, streak.everyDays, streak.points), {
      extraUpdate: { lastCheckinBonusDay: checkedInDay },
      naturalGuard: dayGuard('lastCheckinBonusDay', checkedInDay),
    })
    member = bonus.member as LoyaltyMember
  }
  if (posted.entry.growth > 0) member = await upgradeIfEarned(member, tiers, now, brand.timeZone)

  const fresh = !posted.replayed && (!bonus || !bonus.replayed)
  const afterCheckin = posted.replayed ? await netPointsAfter(member, posted.entry) : posted.member.points - posted.member.pointsOwed
  const points = !bonus ? afterCheckin : fresh ? member.points - member.pointsOwed : await netPointsAfter(member, bonus.entry)
  return { entry: toLedgerEntryView(posted.entry, afterCheckin), points }
}

/**
 * One entry per business day, at any age: the member keeps the day of the latest one, and the
 * update that applies today's is guarded by it being earlier. A missing `lastCheckinBonusDay`
 * means no bonus yet; a missing `lastCheckinDay` (members from before the field) tells nothing,
 * and the ledger decides.
 */
function dayGuard(field: 'lastCheckinDay' | 'lastCheckinBonusDay', day: string): NaturalGuard {
  const _ = database().command
  const latest = (member: MemberRecord) => (member as LoyaltyMember)[field]
  const missingMeansNever = field === 'lastCheckinBonusDay'
  return {
    where: { [field]: missingMeansNever ? _.exists(false).or(_.lt(day)) : _.lt(day) },
    decides: (member) => missingMeansNever || typeof latest(member) === 'string',
    applied: (member) => (latest(member) ?? '') >= day,
  }
}

/** The streak bonus: posted right after the check-in, one millisecond later so it sorts after it. */
function bonusEntry(memberId: string, checkinEntry: LedgerEntry, everyDays: number, points: number): LedgerEntry {
  return {
    _id: checkinBonusEntryId(memberId, checkinEntry.businessDay),
    memberId,
    kind: 'checkin',
    points,
    balance: 0,
    growth: 0,
    requestId: checkinEntry.requestId,
    businessDay: checkinEntry.businessDay,
    createdAt: new Date(new Date(checkinEntry.createdAt).getTime() + 1),
    description: checkinBonusDescription(everyDays),
  }
}
