/**
 * Posting a ledger entry to a member, atomically and at most once, at any age.
 *
 * CloudBase transactions cover single-document operations only and conflict under load, so the
 * member document is the unit of atomicity: one conditional update changes its balances AND
 * records the entry in the member's `outbox`. That update is the commit point: before it nothing
 * happened, after it everything did. The entry is then copied to the `ledger` collection;
 * `trimOutbox` later drops outbox entries that are safely in the ledger. So at every moment
 *   points − pointsOwed = Σ points, balance = Σ balance   over ledger ∪ outbox (by entry id),
 * and the ledger only ever holds entries that were applied.
 *
 * "Already applied" is exact, whatever the entry's age: an entry is applied iff its id is in the
 * member's outbox or in the ledger. The update is guarded by `outbox.<id>` not existing (which
 * also settles two concurrent attempts), and the ledger is read once before it, unless the
 * caller already read it (`knownNew`) or the entry has a natural guard on the member that the
 * same update checks (a check-in's `lastCheckinDay`). An outbox entry is trimmed only once it is
 * in the ledger and older than any invocation can live (OUTBOX_KEPT_MS), so an attempt that
 * found the ledger empty cannot meet an outbox that has already let the entry go.
 */
import { AppError } from '../../domain/shared/errors'
import { applyEntry, assertEntryId, isIncrementOnly, lockedChange, sameEntry } from '../../domain/loyalty/ledger'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { inactiveCardError, type MemberRecord } from '../../domain/membership'
import { database, isDuplicateKey } from '../platform/cloud'
import { findMember, notAMember } from '../membership'

export interface Posted {
  member: MemberRecord
  /** the entry as first posted (a retry gets the original back) */
  entry: LedgerEntry
  /** true when the entry had been applied before this call */
  replayed: boolean
}

/**
 * A condition on the member that holds exactly while the entry is not applied yet, checked in the
 * same update (e.g. `lastCheckinDay < day`); it makes the ledger read unnecessary.
 */
export interface NaturalGuard {
  where: Record<string, unknown>
  /** false when the member document cannot tell (e.g. a field older members lack) */
  decides(member: MemberRecord): boolean
  applied(member: MemberRecord): boolean
}

/**
 * A condition on the member the entry needs (e.g. a daily cap not reached), checked in the same
 * update that applies it: `where` for the update, `holds` for a member as read, `refusal` when not.
 */
export interface PostCondition {
  where: Record<string, unknown>
  holds(member: MemberRecord): boolean
  refusal(): Error
}

export interface PostOptions {
  /** expiry and refunds still apply to a lost or frozen card */
  allowInactive?: boolean
  /**
   * More fields to change in the same atomic update that applies the entry (e.g. the check-in
   * streak window); applied only when the entry is applied, never on a replay.
   */
  extraUpdate?: Record<string, unknown>
  /** the caller read the ledger (findApplied) just before and found no such entry */
  knownNew?: boolean
  naturalGuard?: NaturalGuard
  condition?: PostCondition
}

const MAX_ATTEMPTS = 12
/** Outbox entries stay this long after they were applied: twice the longest an invocation may run (900 s). */
export const OUTBOX_KEPT_MS = 30 * 60_000

function appliedUpdate(entry: LedgerEntry) {
  const _ = database().command
  const update: Record<string, unknown> = {
    [`outbox.${entry._id}`]: entry,
    entryCount: _.inc(1),
    lastEntryAt: entry.createdAt,
    outboxOldestAt: _.min(new Date(entry.createdAt)),
  }
  // locked points change only by a lock's own entries, whose condition holds the lock (locks.ts)
  if (lockedChange(entry) !== 0) update.pointsLocked = _.inc(lockedChange(entry))
  // Tiers qualify on growth earned within a calendar year (domain/tiers.ts), kept per year.
  if (entry.growth !== 0) update[`growthByYear.${entry.businessDay.slice(0, 4)}`] = _.inc(entry.growth)
  return update
}

function notYetApplied(entryId: string): Record<string, unknown> {
  return { [`outbox.${entryId}`]: database().command.exists(false) }
}

async function ledgerEntry(id: string): Promise<LedgerEntry | null> {
  const { data } = await database().collection('ledger').doc(id).get()
  return (data[0] as LedgerEntry | undefined) ?? null
}

/**
 * The entry with this id if it was applied, at any age: from the member's outbox (when the
 * member is at hand) or the ledger. One read.
 */
export async function findApplied(id: string, member?: Pick<MemberRecord, 'outbox'> | null): Promise<LedgerEntry | null> {
  return member?.outbox?.[id] ?? (await ledgerEntry(id))
}

/**
 * Copies an applied entry into the ledger collection. A second copy of the same entry (a
 * concurrent flush) is a no-op; a different entry under the same id is a broken invariant.
 */
export async function copyToLedger(entry: LedgerEntry): Promise<void> {
  try {
    await database().collection('ledger').add(entry)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    const stored = await ledgerEntry(entry._id)
    if (!stored || !sameEntry(stored, entry)) throw new Error(`ledger entry ${entry._id} was applied twice with different contents`)
  }
}

async function updateMember(where: Record<string, unknown>, update: Record<string, unknown>): Promise<MemberRecord | null> {
  const { doc } = (await database().collection('members').where(where).updateAndReturn(update)) as { doc?: MemberRecord }
  return doc ?? null
}

/** One conditional increment, when no read is needed. */
async function tryIncrement(entry: LedgerEntry, options: PostOptions): Promise<MemberRecord | null> {
  if (!isIncrementOnly(entry)) return null
  const _ = database().command
  const where: Record<string, unknown> = { _id: entry.memberId, ...notYetApplied(entry._id), ...options.naturalGuard?.where, ...options.condition?.where }
  if (!options.allowInactive) where.status = 'active'
  if (entry.points > 0) where.pointsOwed = 0
  if (entry.points < 0) where.points = _.gte(-entry.points)
  if (entry.balance < 0) where.balance = _.gte(-entry.balance)
  return updateMember(where, {
    points: _.inc(entry.points),
    balance: _.inc(entry.balance),
    growth: _.inc(entry.growth),
    ...appliedUpdate(entry),
    ...options.extraUpdate,
  })
}

async function replayOf(member: MemberRecord, id: string): Promise<Posted> {
  const first = await findApplied(id, member)
  if (!first) throw new AppError('ALREADY_APPLIED', '该操作已办理过')
  await copyToLedger(first)
  return { member, entry: first, replayed: true }
}

export async function postEntry(entry: LedgerEntry, options: PostOptions = {}): Promise<Posted> {
  assertEntryId(entry._id)
  let checkedLedger = options.knownNew === true
  if (!checkedLedger && !options.naturalGuard) {
    const first = await ledgerEntry(entry._id)
    if (first) {
      const member = await findMember(entry.memberId)
      if (!member) throw notAMember()
      return { member, entry: first, replayed: true }
    }
    checkedLedger = true
  }
  const incremented = await tryIncrement(entry, options)
  if (incremented) {
    await copyToLedger(entry)
    return { member: incremented, entry, replayed: false }
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = await findMember(entry.memberId)
    if (!member) throw notAMember()
    if (member.outbox?.[entry._id]) return replayOf(member, entry._id)
    const guard = options.naturalGuard
    if (guard?.decides(member) && guard.applied(member)) return replayOf(member, entry._id)
    if (!checkedLedger && !guard?.decides(member)) {
      if (await ledgerEntry(entry._id)) return replayOf(member, entry._id)
      checkedLedger = true
    }
    if (member.status !== 'active' && !options.allowInactive) throw inactiveCardError(member.status)
    if (options.condition && !options.condition.holds(member)) throw options.condition.refusal()
    const after = applyEntry(member, entry)
    const updated = await updateMember(
      {
        _id: member._id,
        points: member.points,
        pointsOwed: member.pointsOwed,
        balance: member.balance,
        growth: member.growth,
        status: member.status,
        ...notYetApplied(entry._id),
        ...(guard?.decides(member) ? guard.where : {}),
        ...options.condition?.where,
      },
      { ...after, ...appliedUpdate(entry), ...options.extraUpdate },
    )
    if (updated) {
      await copyToLedger(entry)
      return { member: updated, entry, replayed: false }
    }
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8 * (attempt + 1)))
  }
  throw new AppError('BUSY', '操作繁忙，请稍后重试')
}

/** Makes sure every entry in the member's outbox is in the ledger collection, before reading it. */
export async function flushOutbox(member: Pick<MemberRecord, 'outbox'>): Promise<void> {
  await Promise.all(Object.values(member.outbox ?? {}).map((entry) => copyToLedger(entry)))
}

/** Net points (points − owed) and stored value right after an entry: the sums of the member's ledger up to it. */
export async function balancesAfter(member: MemberRecord, entry: LedgerEntry): Promise<{ netPoints: number; balance: number }> {
  await flushOutbox(member)
  const _ = database().command
  const { data } = await database()
    .collection('ledger')
    .aggregate()
    .match({ memberId: member._id, createdAt: _.lte(new Date(entry.createdAt)) })
    .group({ _id: null, netPoints: _.aggregate.sum('$points'), balance: _.aggregate.sum('$balance') })
    .end()
  const sums = data[0] as { netPoints?: number; balance?: number } | undefined
  return { netPoints: sums?.netPoints ?? 0, balance: sums?.balance ?? 0 }
}

/** Net points (points − owed) right after an entry. */
export async function netPointsAfter(member: MemberRecord, entry: LedgerEntry): Promise<number> {
  return (await balancesAfter(member, entry)).netPoints
}

/**
 * Drops outbox entries applied at least OUTBOX_KEPT_MS before `now` once they are in the ledger.
 * Safe to run at any time and any number of times.
 */
export async function trimOutbox(memberId: string, now: Date, keptMs = OUTBOX_KEPT_MS): Promise<number> {
  const member = await findMember(memberId)
  if (!member) return 0
  const entries = Object.values(member.outbox ?? {})
  const old = entries.filter((entry) => now.getTime() - new Date(entry.createdAt).getTime() >= keptMs)
  for (const entry of old) await copyToLedger(entry)
  const _ = database().command
  const kept = entries.filter((entry) => !old.includes(entry)).map((entry) => new Date(entry.createdAt).getTime())
  const removals = Object.fromEntries(old.map((entry) => [`outbox.${entry._id}`, _.remove()]))
  // outboxOldestAt follows what stays, unless an entry came in meanwhile (then it is left older, and the next trim looks again)
  const oldest = kept.length > 0 ? new Date(Math.min(...kept)) : _.remove()
  const { updated } = await database()
    .collection('members')
    .where({ _id: memberId, entryCount: member.entryCount })
    .update({ ...removals, outboxOldestAt: oldest })
  if (updated === 0 && old.length > 0) await database().collection('members').doc(memberId).update(removals)
  return old.length
}
