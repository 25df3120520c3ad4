import { loyaltyActions } from '../../../domain/contract'
import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/errors'
import { CHECKIN_DESCRIPTION, checkinEntryId, toLedgerEntryView, withBalances } from '../../../domain/loyalty'
import { APPLIED_ENTRIES_KEPT, memberIdFor, type MemberRecord, type PointsLedgerEntry } from '../../../domain/member'
import { businessDay } from '../../../domain/time'
import { database, isDuplicateKey } from '../../../backend/cloud'
import { loyaltyConfig } from '../../../backend/config-store'
import { defineFunction, requireMember } from '../../../backend/handler'
import { findMember, notAMember } from '../../../backend/members'

type Results = ActionResults['loyalty']

const ledger = () => database().collection('points_ledger')

/**
 * Applies a written ledger entry to the member's points, at most once: the update only
 * matches while the entry id is not yet among the member's applied entries.
 * Returns the points after the entry, or null when it had been applied already.
 */
async function applyEntry(entry: PointsLedgerEntry): Promise<number | null> {
  const db = database()
  const _ = db.command
  const { doc } = (await db
    .collection('members')
    .where({ _id: entry.memberId, status: 'active', appliedEntries: _.neq(entry._id) })
    .updateAndReturn({
      points: _.inc(entry.change),
      appliedEntries: _.push({ each: [entry._id], slice: -APPLIED_ENTRIES_KEPT }),
    })) as { doc?: MemberRecord }
  return doc ? doc.points : null
}

/** Sum of the member's ledger up to and including an entry: the balance right after it. */
async function balanceAfter(entry: PointsLedgerEntry): Promise<number> {
  const db = database()
  const _ = db.command
  const { data } = await ledger()
    .aggregate()
    .match({ memberId: entry.memberId, createdAt: _.lte(entry.createdAt) })
    .group({ _id: null, total: _.aggregate.sum('$change') })
    .end()
  return (data[0] as { total?: number } | undefined)?.total ?? 0
}

/** The entry is written; it did not apply. Find out why, undo the entry if it must not stand. */
async function explainUnapplied(entry: PointsLedgerEntry): Promise<number> {
  const member = await findMember(entry.memberId)
  if (member && member.appliedEntries.includes(entry._id)) return balanceAfter(entry)
  await ledger().doc(entry._id).remove()
  if (!member) throw notAMember()
  throw new AppError('FAILED_PRECONDITION', '会员卡已挂失或冻结，暂不能签到')
}

export const main = defineFunction('loyalty', loyaltyActions, {
  /** 签到: one per business day. Two database calls: write the ledger entry, apply it. */
  async checkin({ requestId }, { caller, now }): Promise<Results['checkin']> {
    const memberId = memberIdFor(requireMember(caller))
    const { rules, brand } = await loyaltyConfig()
    const day = businessDay(now, brand.timeZone)
    let entry: PointsLedgerEntry = {
      _id: checkinEntryId(memberId, day),
      memberId,
      source: 'checkin',
      change: rules.checkin.points,
      requestId,
      businessDay: day,
      createdAt: now,
      description: CHECKIN_DESCRIPTION,
    }
    try {
      await ledger().add(entry)
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      const { data } = await ledger().doc(entry._id).get()
      const first = data[0] as PointsLedgerEntry | undefined
      if (!first) throw error
      if (first.requestId !== requestId) throw new AppError('ALREADY_EXISTS', '今天已经签到过了，明天再来吧')
      entry = first // a retry of the same request: finish it if needed and give the first answer
    }
    const points = (await applyEntry(entry)) ?? (await explainUnapplied(entry))
    return { entry: toLedgerEntryView(entry, points), points }
  },

  async status(_input, { caller, now }): Promise<Results['status']> {
    const memberId = memberIdFor(requireMember(caller))
    const { rules, brand } = await loyaltyConfig()
    const day = businessDay(now, brand.timeZone)
    const [member, today] = await Promise.all([findMember(memberId), ledger().doc(checkinEntryId(memberId, day)).get()])
    if (!member) throw notAMember()
    return { businessDay: day, checkedInToday: today.data.length > 0, points: member.points, checkinPoints: rules.checkin.points }
  },

  /** 积分明细, newest first, with the balance after each entry. */
  async ledger({ limit, before }, { caller }): Promise<Results['ledger']> {
    const memberId = memberIdFor(requireMember(caller))
    const db = database()
    const _ = db.command
    const newerThanPage = before
      ? ledger()
          .aggregate()
          .match({ memberId, createdAt: _.gte(new Date(before)) })
          .group({ _id: null, total: _.aggregate.sum('$change') })
          .end()
      : Promise.resolve({ data: [] as unknown[] })
    const [member, page, newer] = await Promise.all([
      findMember(memberId),
      ledger()
        .where(before ? { memberId, createdAt: _.lt(new Date(before)) } : { memberId })
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'desc')
        .limit(limit + 1)
        .get(),
      newerThanPage,
    ])
    if (!member) throw notAMember()
    const entries = (page.data as PointsLedgerEntry[]).slice(0, limit)
    const newerTotal = (newer.data[0] as { total?: number } | undefined)?.total ?? 0
    const hasMore = page.data.length > limit
    return {
      entries: withBalances(entries, member.points - newerTotal),
      nextBefore: hasMore ? new Date(entries[entries.length - 1].createdAt).getTime() : null,
    }
  },
})
