/**
 * The member ledger: every change to a member's points, points owed, locked points, stored value or
 * growth is one append-only entry. The member document caches the sums; the rules here decide how
 * an entry changes them, and refuse what would drive a balance below zero. Locked points change
 * only by a lock's own entries, each guarded by the lock (backend/loyalty/locks.ts).
 */
import { AppError } from '../shared/errors'

import type { LedgerEntry } from '../shared/ledger-entry'

export interface Balances {
  points: number
  pointsOwed: number
  balance: number
  growth: number
}

/** Entry ids are keys of the member's outbox; they must be safe as a document field name. */
export function assertEntryId(id: string): string {
  if (!/^[A-Za-z0-9:_-]{3,120}$/.test(id)) throw new Error(`bad ledger entry id ${id}`)
  return id
}

/**
 * The balances after an entry. Positive points first repay points owed; negative points may
 * become owed only when the entry allows it. Stored value never goes below zero, growth is
 * floored at zero.
 */
export function applyEntry(before: Balances, entry: Pick<LedgerEntry, 'points' | 'balance' | 'growth' | 'allowOwing'>): Balances {
  let { points, pointsOwed } = before
  if (entry.points >= 0) {
    const repaid = Math.min(pointsOwed, entry.points)
    pointsOwed -= repaid
    points += entry.points - repaid
  } else {
    const wanted = -entry.points
    if (wanted > points && !entry.allowOwing) throw new AppError('INSUFFICIENT_POINTS', `积分不足：需要 ${wanted}，可用 ${points}`)
    const taken = Math.min(points, wanted)
    points -= taken
    pointsOwed += wanted - taken
  }
  const balance = before.balance + entry.balance
  if (balance < 0) throw new AppError('INSUFFICIENT_BALANCE', '储值余额不足')
  return { points, pointsOwed, balance, growth: Math.max(0, before.growth + entry.growth) }
}

/**
 * When an entry can be applied with a plain conditional increment (no read of the member):
 * nothing owed is involved and growth cannot hit its floor.
 */
export function isIncrementOnly(entry: Pick<LedgerEntry, 'points' | 'growth' | 'allowOwing'>): boolean {
  return !entry.allowOwing && entry.growth >= 0
}

/** Whether two copies of an entry are the same change (a benign second copy of an applied entry). */
export function sameEntry(a: LedgerEntry, b: LedgerEntry): boolean {
  return a._id === b._id && a.memberId === b.memberId && a.points === b.points && a.balance === b.balance && a.growth === b.growth && lockedChange(a) === lockedChange(b) && a.kind === b.kind
}

/** The entry's change of locked points (待入账); entries before locks have none. */
export function lockedChange(entry: Pick<LedgerEntry, 'locked'>): number {
  return entry.locked ?? 0
}

/** Net points (points − owed) and stored value that a list of entries sums to. */
export function ledgerTotals(entries: Pick<LedgerEntry, 'points' | 'balance'>[]): { netPoints: number; balance: number } {
  return entries.reduce((sum, entry) => ({ netPoints: sum.netPoints + entry.points, balance: sum.balance + entry.balance }), { netPoints: 0, balance: 0 })
}
