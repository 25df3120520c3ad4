import type { ActionResults, LedgerEntryView, TierChangeView } from '../../../domain/contract'
import { checkinEntryId, expiringAt, tierGuide, toLedgerEntryView, withBalances, type LoyaltyMember } from '../../../domain/loyalty'
import type { LedgerEntry } from '../../../domain/shared/ledger-entry'
import { memberIdFor } from '../../../domain/membership'
import { businessDay } from '../../../domain/shared/time'
import { loyaltyConfig } from '../../../backend/platform/config-store'
import { checkin, memberLots, pageOf } from '../../../backend/loyalty'
import { defineFunction, requireMember } from '../../../backend/platform/handler'
import { findMember, notAMember } from '../../../backend/membership'

type Results = ActionResults['loyalty']

async function callerMember(openid: string): Promise<LoyaltyMember> {
  const member = (await findMember(memberIdFor(openid))) as LoyaltyMember | null
  if (!member) throw notAMember()
  return member
}

/** Stored-value entries newest first, the change in fen and the stored value after each. */
function withStoredValue(entriesNewestFirst: LedgerEntry[], balanceAfterNewest: number): LedgerEntryView[] {
  let balanceAfter = balanceAfterNewest
  return entriesNewestFirst.map((entry) => {
    const view = { ...toLedgerEntryView(entry, balanceAfter), change: entry.balance }
    balanceAfter -= entry.balance
    return view
  })
}

export const main = defineFunction('loyalty', {
  /** 签到: one per business day; two database calls on a warm instance (see checkin.ts). */
  checkin: ({ requestId }, { caller, now }) => checkin(requestId, caller, now),

  async status(_input, { caller, now }): Promise<Results['status']> {
    const member = await callerMember(requireMember(caller))
    const { rules, brand } = await loyaltyConfig()
    const day = businessDay(now, brand.timeZone)
    const policy = rules.expiry.policy
    const expiring = policy === 'never' || member.points <= 0 ? null : expiringAt(await memberLots(member), now, policy, brand.timeZone)
    return {
      businessDay: day,
      checkedInToday: member.lastCheckinDay === day || Boolean(member.outbox?.[checkinEntryId(member._id, day)]) || (member.checkinDays ?? []).includes(day),
      points: member.points,
      pointsOwed: member.pointsOwed,
      checkinPoints: rules.checkin.points,
      expiring,
    }
  },

  /** 积分明细, newest first, with the balance after each entry. */
  async ledger({ limit, before }, { caller }): Promise<Results['ledger']> {
    const member = await callerMember(requireMember(caller))
    const { entries, newerTotal, nextBefore } = await pageOf(member, 'points', limit, before)
    return { entries: withBalances(entries, member.points - member.pointsOwed - newerTotal), nextBefore }
  },

  /** 储值明细: entries that changed the stored value, newest first, with the stored value after each. */
  async balanceLedger({ limit, before }, { caller }): Promise<Results['balanceLedger']> {
    const member = await callerMember(requireMember(caller))
    const { entries, newerTotal, nextBefore } = await pageOf(member, 'balance', limit, before)
    return { entries: withStoredValue(entries, member.balance - newerTotal), nextBefore, balance: member.balance }
  },

  async tierGuide(): Promise<Results['tierGuide']> {
    const { tiers, rules } = await loyaltyConfig()
    return { guide: tierGuide(tiers, rules) }
  },

  /** 等级变更记录, newest first. */
  async tierHistory(_input, { caller }): Promise<Results['tierHistory']> {
    const [member, { tiers }] = await Promise.all([callerMember(requireMember(caller)), loyaltyConfig()])
    const name = (id: string) => tiers.find((tier) => tier._id === id)?.name ?? id
    const changes: TierChangeView[] = (member.tierHistory ?? [])
      .map((change) => ({ from: change.from && name(change.from), to: name(change.to), reason: change.reason, at: new Date(change.at).toISOString() }))
      .reverse()
    return { changes }
  },
})
