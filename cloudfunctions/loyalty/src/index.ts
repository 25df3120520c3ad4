import { loyaltyActions } from '../../../domain/contract'
import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/errors'
import type { LedgerEntry } from '../../../domain/ledger'
import { CHECKIN_DESCRIPTION, checkinEntryId, toLedgerEntryView, withBalances } from '../../../domain/loyalty'
import { memberIdFor } from '../../../domain/member'
import { businessDay } from '../../../domain/time'
import { database } from '../../../backend/cloud'
import { loyaltyConfig } from '../../../backend/config-store'
import { defineFunction, requireMember } from '../../../backend/handler'
import { flushOutbox, netPointsAfter, postEntry } from '../../../backend/ledger'
import { findMember, notAMember } from '../../../backend/members'

type Results = ActionResults['loyalty']

const ledger = () => database().collection('ledger')

export const main = defineFunction('loyalty', loyaltyActions, {
  /** 签到: one per business day; two database calls on a warm instance. */
  async checkin({ requestId }, { caller, now }): Promise<Results['checkin']> {
    const memberId = memberIdFor(requireMember(caller))
    const { rules, brand } = await loyaltyConfig()
    const day = businessDay(now, brand.timeZone)
    const posted = await postEntry({
      _id: checkinEntryId(memberId, day),
      memberId,
      kind: 'checkin',
      points: rules.checkin.points,
      balance: 0,
      growth: 0,
      requestId,
      businessDay: day,
      createdAt: now,
      description: CHECKIN_DESCRIPTION,
    })
    if (posted.replayed && posted.entry.requestId !== requestId) throw new AppError('ALREADY_EXISTS', '今天已经签到过了，明天再来吧')
    // A retry of the same request gets the first answer back.
    const points = posted.replayed ? await netPointsAfter(posted.member, posted.entry) : posted.member.points - posted.member.pointsOwed
    return { entry: toLedgerEntryView(posted.entry, points), points }
  },

  async status(_input, { caller, now }): Promise<Results['status']> {
    const memberId = memberIdFor(requireMember(caller))
    const { rules, brand } = await loyaltyConfig()
    const member = await findMember(memberId)
    if (!member) throw notAMember()
    return {
      businessDay: businessDay(now, brand.timeZone),
      checkedInToday: member.appliedEntries.includes(checkinEntryId(memberId, businessDay(now, brand.timeZone))),
      points: member.points,
      checkinPoints: rules.checkin.points,
    }
  },

  /** 积分明细, newest first, with the balance after each entry. */
  async ledger({ limit, before }, { caller }): Promise<Results['ledger']> {
    const memberId = memberIdFor(requireMember(caller))
    const member = await findMember(memberId)
    if (!member) throw notAMember()
    await flushOutbox(member)
    const _ = database().command
    const onlyPoints = { memberId, points: _.neq(0) }
    const [page, newer] = await Promise.all([
      ledger()
        .where(before ? { ...onlyPoints, createdAt: _.lt(new Date(before)) } : onlyPoints)
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'desc')
        .limit(limit + 1)
        .get(),
      before
        ? ledger()
            .aggregate()
            .match({ memberId, createdAt: _.gte(new Date(before)) })
            .group({ _id: null, total: _.aggregate.sum('$points') })
            .end()
        : Promise.resolve({ data: [] as unknown[] }),
    ])
    const entries = (page.data as LedgerEntry[]).slice(0, limit)
    const newerTotal = (newer.data[0] as { total?: number } | undefined)?.total ?? 0
    return {
      entries: withBalances(entries, member.points - member.pointsOwed - newerTotal),
      nextBefore: page.data.length > limit ? new Date(entries[entries.length - 1].createdAt).getTime() : null,
    }
  },
})
