import type { LedgerEntryView } from '../contract'
import type { LedgerEntry } from '../shared/ledger-entry'

/** One check-in per member per business day: the entry id makes a second one collide. */
export function checkinEntryId(memberId: string, day: string): string {
  return `checkin:${memberId}:${day}`
}

export function joinEntryId(memberId: string): string {
  return `join:${memberId}`
}

export const CHECKIN_DESCRIPTION = '每日签到'
export const JOIN_DESCRIPTION = '入会奖励'

/**
 * Points entries newest first, with the balance after each one. The ledger sums to the
 * balance, so walking back from the balance after the newest entry gives every other one.
 */
export function withBalances(entriesNewestFirst: LedgerEntry[], balanceAfterNewest: number): LedgerEntryView[] {
  let balanceAfter = balanceAfterNewest
  return entriesNewestFirst.map((entry) => {
    const view = toLedgerEntryView(entry, balanceAfter)
    balanceAfter -= entry.points
    return view
  })
}

export function toLedgerEntryView(entry: LedgerEntry, balanceAfter: number): LedgerEntryView {
  return {
    id: entry._id,
    source: entry.kind,
    change: entry.points,
    balanceAfter,
    createdAt: new Date(entry.createdAt).toISOString(),
    businessDay: entry.businessDay,
    description: entry.description,
  }
}
