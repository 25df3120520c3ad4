/**
 * Behaviour points (分享 / 点赞 / 阅读 / 评价): one earning per (behaviour, content ref) per
 * business day, at most `dailyCap` per behaviour per day.
 *
 * The cap is a reservation on the member document, one conditional update: the ref is pushed
 * onto today's list for the behaviour only while the list has fewer than dailyCap refs and does
 * not hold the ref yet (and the card is active). Concurrent earns therefore get exactly
 * dailyCap reservations; a refused one writes nothing. The entry itself
 * (`<behaviour>:<member>:<day>:<ref>`) is then posted as usual, so a retry, or a crash between
 * the two writes, is finished by the next call with the same request. 3 database calls.
 */
import type { ActionResults, EarnBehaviour } from '../../domain/contract'
import { EARN_DESCRIPTIONS, earlierDays, earnEntryId, earnEntryKind, remainingAfter, staleEarnDays, type LoyaltyMember } from '../../domain/loyalty/earning'
import { AppError } from '../../domain/shared/errors'
import { toLedgerEntryView } from '../../domain/loyalty/loyalty'
import { inactiveCardError, memberIdFor } from '../../domain/membership'
import { businessDay } from '../../domain/shared/time'
import { database, type Caller } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { requireMember } from '../platform/handler'
import { netPointsAfter, postEntry } from '../loyalty/ledger'
import { findMember, notAMember } from '../membership'
import { upgradeIfEarned } from '../loyalty/tiers'

export const CAP_REACHED = '今日该行为积分已达上限'

export async function earn(input: { behaviour: EarnBehaviour; ref: string; requestId: string }, caller: Caller, now: Date): Promise<ActionResults['loyalty']['earn']> {
  const { behaviour, ref, requestId } = input
  const memberId = memberIdFor(requireMember(caller))
  const { rules, brand, tiers } = await loyaltyConfig()
  const rule = rules.behaviours[behaviour]
  const day = businessDay(now, brand.timeZone)
  const refs = await reserve(memberId, behaviour, day, ref, rule.dailyCap)

  const posted = await postEntry({
    _id: earnEntryId(behaviour, memberId, day, ref),
    memberId,
    kind: earnEntryKind(behaviour),
    points: rule.points,
    balance: 0,
    growth: rule.growth,
    requestId,
    businessDay: day,
    createdAt: now,
    description: EARN_DESCRIPTIONS[behaviour],
    detail: { behaviour, ref },
  })
  if (posted.replayed && posted.entry.requestId !== requestId) throw new AppError('ALREADY_EARNED', '这条内容今天已经得过积分了')
  let member = posted.member
  if (posted.entry.growth > 0) member = await upgradeIfEarned(member, tiers, now, brand.timeZone)
  const points = posted.replayed ? await netPointsAfter(member, posted.entry) : posted.member.points - posted.member.pointsOwed
  return { entry: toLedgerEntryView(posted.entry, points), points, remainingToday: remainingAfter(refs, ref, rule.dailyCap) }
}

/**
 * Reserves one of today's earnings of the behaviour for the ref; returns today's refs (with
 * this one in them). Refuses, writing nothing, when the cap is reached or the card inactive.
 */
async function reserve(memberId: string, behaviour: EarnBehaviour, day: string, ref: string, dailyCap: number): Promise<string[]> {
  const db = database()
  const _ = db.command
  const path = `earnCaps.${day}.${behaviour}`
  for (let attempt = 0; attempt < 3; attempt++) {
    if (dailyCap > 0) {
      const { doc } = (await db
        .collection('members')
        .where({ _id: memberId, status: 'active', [path]: _.neq(ref), [`${path}.${dailyCap - 1}`]: _.exists(false) })
        .updateAndReturn({
          [path]: _.push({ each: [ref] }),
          // yesterday's counters (and the week before) are of no use any more
          ...Object.fromEntries(earlierDays(day).map((earlier) => [`earnCaps.${earlier}`, _.remove()])),
        })) as { doc?: LoyaltyMember }
      if (doc) {
        const stale = staleEarnDays(doc.earnCaps, day)
        if (stale.length > 0) {
          await db
            .collection('members')
            .doc(memberId)
            .update(Object.fromEntries(stale.map((earlier) => [`earnCaps.${earlier}`, _.remove()])))
        }
        return doc.earnCaps?.[day]?.[behaviour] ?? [ref]
      }
    }
    // Not reserved: find out why.
    const member = (await findMember(memberId)) as LoyaltyMember | null
    if (!member) throw notAMember()
    if (member.status !== 'active') throw inactiveCardError(member.status)
    const refs = member.earnCaps?.[day]?.[behaviour] ?? []
    if (refs.includes(ref)) return refs // reserved by an earlier try of this earning: finish it
    if (refs.length >= dailyCap) throw new AppError('DAILY_CAP_REACHED', CAP_REACHED)
  }
  throw new AppError('BUSY', '操作繁忙，请稍后重试')
}
