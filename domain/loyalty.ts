import type { LedgerEntryView } from './contract'
import type { PointsLedgerEntry } from './member'

/** One check-in per member per business day: the ledger id makes a second one collide. */
export function checkinEntryId(memberId: string, day: string): string {
  return `checkin:${memberId}:${day}`
}

export function joinEntryId(memberId: string): string {
  return `join:${memberId}`
}

export const CHECKIN_DESCRIPTION = '每日签到'
export const JOIN_DESCRIPTION = '入会奖励'

/**
 * Ledger entries newest first, with the balance after each one. The ledger sums to the
 * balance, so walking back from the balance after the newest entry gives every other one.
 */
export function withBalances(entriesNewestFirst: PointsLedgerEntry[], balanceAfterNewest: number): LedgerEntryView[] {
  let balanceAfter = balanceAfterNewest
  return entriesNewestFirst.map((entry) => {
    const view = toLedgerEntryView(entry, balanceAfter)
    balanceAfter -= entry.change
    return view
  })
}

export function toLedgerEntryView(entry: PointsLedgerEntry, balanceAfter: number): LedgerEntryView {
  return {
    id: entry._id,
    source: entry.source,
    change: entry.change,
    balanceAfter,
    createdAt: new Date(entry.createdAt).toISOString(),
    businessDay: entry.businessDay,
    description: entry.description,
  }
}
