/**
 * What must always hold between a member document and their ledger (see backend/ledger.ts):
 *   points − pointsOwed = Σ points,  balance = Σ balance,  pointsLocked = Σ locked
 *                                              over ledger ∪ outbox, each entry once;
 *   pointsLocked = Σ of the member's open locks (each lock's points, 待入账);
 *   points, pointsOwed, pointsLocked and balance are never negative.
 */
import type { LedgerEntry } from '../shared/ledger-entry'

type CheckedEntry = Pick<LedgerEntry, '_id' | 'points' | 'balance' | 'locked'>

export interface InvariantMember {
  points: number
  pointsOwed: number
  balance: number
  /** absent on members from before locks: 0 */
  pointsLocked?: number
  locks?: Record<string, { points: number }>
  outbox?: Record<string, CheckedEntry>
}

/** Ledger entries and outbox entries, each entry id once (the outbox copy wins: it is the applied one). */
export function unionById<T extends { _id: string }>(ledger: T[], outbox: Record<string, T> | undefined): T[] {
  const byId = new Map(ledger.map((entry) => [entry._id, entry]))
  for (const [id, entry] of Object.entries(outbox ?? {})) byId.set(id, entry)
  return [...byId.values()]
}

/** The broken rules, as messages for an admin; empty when the member is consistent. */
export function memberInvariantViolations(member: InvariantMember, ledger: CheckedEntry[]): string[] {
  const entries = unionById(ledger, member.outbox)
  const sumPoints = entries.reduce((sum, entry) => sum + entry.points, 0)
  const sumBalance = entries.reduce((sum, entry) => sum + entry.balance, 0)
  const sumLocked = entries.reduce((sum, entry) => sum + (entry.locked ?? 0), 0)
  const locked = member.pointsLocked ?? 0
  const openLocks = Object.values(member.locks ?? {}).reduce((sum, lock) => sum + lock.points, 0)
  const problems: string[] = []
  const isCount = (value: unknown) => typeof value === 'number' && Number.isInteger(value)
  if (!isCount(member.points) || !isCount(member.pointsOwed) || !isCount(member.balance) || !isCount(locked)) {
    problems.push(`余额字段不是整数：points=${member.points}，pointsOwed=${member.pointsOwed}，balance=${member.balance}`)
    return problems
  }
  if (member.points < 0) problems.push(`积分为负：points=${member.points}`)
  if (member.pointsOwed < 0) problems.push(`欠积分为负：pointsOwed=${member.pointsOwed}`)
  if (member.balance < 0) problems.push(`储值为负：balance=${member.balance}`)
  if (locked < 0) problems.push(`待入账积分为负：pointsLocked=${locked}`)
  if (locked !== sumLocked) problems.push(`待入账积分与账本不符：pointsLocked = ${locked}，账本合计 ${sumLocked}`)
  if (locked !== openLocks) problems.push(`待入账积分与未结锁定不符：pointsLocked = ${locked}，锁定合计 ${openLocks}`)
  if (member.points - member.pointsOwed !== sumPoints) {
    problems.push(`积分与账本不符：points − pointsOwed = ${member.points - member.pointsOwed}，账本合计 ${sumPoints}（${entries.length} 条）`)
  }
  if (member.balance !== sumBalance) problems.push(`储值与账本不符：balance = ${member.balance}，账本合计 ${sumBalance}`)
  return problems
}
