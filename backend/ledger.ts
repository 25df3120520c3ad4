/**
 * Posting a ledger entry to a member, atomically and at most once.
 *
 * CloudBase transactions cover single-document operations only and conflict under load, so the
 * member document is the unit of atomicity: one conditional update changes its balances AND
 * records the entry in the member's `outbox` (and its id in `appliedEntries`). That update is
 * the commit point: before it nothing happened, after it everything did. The entry is then
 * copied to the `ledger` collection (idempotent by `_id`); `trimOutboxes` later drops outbox
 * entries that are safely in the ledger. So at every moment
 *   points − pointsOwed = Σ points, balance = Σ balance   over ledger ∪ outbox (by entry id).
 *
 * Fast path (no points owed involved): 2 database calls. Otherwise the member is read and the
 * update is guarded by the exact balances read, retried on contention.
 */
import { AppError } from '../domain/errors'
import { applyEntry, assertEntryId, isIncrementOnly, type LedgerEntry } from '../domain/ledger'
import { APPLIED_ENTRIES_KEPT, type MemberRecord } from '../domain/member'
import { database, isDuplicateKey } from './cloud'
import { findMember, notAMember } from './members'

export interface Posted {
  member: MemberRecord
  /** the entry as first posted (a retry gets the original back) */
  entry: LedgerEntry
  /** true when the entry had been applied before this call */
  replayed: boolean
}

export interface PostOptions {
  /** expiry and refunds still apply to a lost or frozen card */
  allowInactive?: boolean
  /**
   * More fields to change in the same atomic update that applies the entry (e.g. the check-in
   * streak window); applied only when the entry is applied, never on a replay.
   */
  extraUpdate?: Record<string, unknown>
}

const MAX_ATTEMPTS = 12

export function inactiveCardError(status: MemberRecord['status']): AppError {
  return new AppError('FAILED_PRECONDITION', status === 'lost' ? '会员卡已挂失，请先解除挂失' : '会员卡已冻结，请联系门店解冻')
}

function appliedUpdate(entry: LedgerEntry, now: Date) {
  const _ = database().command
  const update: Record<string, unknown> = {
    appliedEntries: _.push({ each: [entry._id], slice: -APPLIED_ENTRIES_KEPT }),
    [`outbox.${entry._id}`]: entry,
    lastEntryAt: now,
  }
  // Tiers qualify on growth earned within a calendar year (domain/tiers.ts), kept per year.
  if (entry.growth !== 0) update[`growthByYear.${entry.businessDay.slice(0, 4)}`] = _.inc(entry.growth)
  return update
}

/** Copies an applied entry into the ledger collection; a second copy is a no-op. */
export async function copyToLedger(entry: LedgerEntry): Promise<void> {
  try {
    await database().collection('ledger').add(entry)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
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
  const where: Record<string, unknown> = { _id: entry.memberId, appliedEntries: _.neq(entry._id) }
  if (!options.allowInactive) where.status = 'active'
  if (entry.points > 0) where.pointsOwed = 0
  if (entry.points < 0) where.points = _.gte(-entry.points)
  if (entry.balance < 0) where.balance = _.gte(-entry.balance)
  return updateMember(where, {
    points: _.inc(entry.points),
    balance: _.inc(entry.balance),
    growth: _.inc(entry.growth),
    ...appliedUpdate(entry, entry.createdAt),
    ...options.extraUpdate,
  })
}

async function storedEntry(member: MemberRecord, id: string): Promise<LedgerEntry> {
  const kept = member.outbox?.[id]
  if (kept) return kept
  const { data } = await database().collection('ledger').doc(id).get()
  if (!data[0]) throw new Error(`entry ${id} is applied to ${member._id} but found nowhere`)
  return data[0] as LedgerEntry
}

export async function postEntry(entry: LedgerEntry, options: PostOptions = {}): Promise<Posted> {
  assertEntryId(entry._id)
  const incremented = await tryIncrement(entry, options)
  if (incremented) {
    await copyToLedger(entry)
    return { member: incremented, entry, replayed: false }
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = await findMember(entry.memberId)
    if (!member) throw notAMember()
    if (member.appliedEntries.includes(entry._id)) {
      const first = await storedEntry(member, entry._id)
      await copyToLedger(first)
      return { member, entry: first, replayed: true }
    }
    if (member.status !== 'active' && !options.allowInactive) throw inactiveCardError(member.status)
    const after = applyEntry(member, entry)
    const updated = await updateMember(
      {
        _id: member._id,
        points: member.points,
        pointsOwed: member.pointsOwed,
        balance: member.balance,
        growth: member.growth,
        status: member.status,
        appliedEntries: database().command.neq(entry._id),
      },
      { ...after, ...appliedUpdate(entry, entry.createdAt), ...options.extraUpdate },
    )
    if (updated) {
      await copyToLedger(entry)
      return { member: updated, entry, replayed: false }
    }
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8 * (attempt + 1)))
  }
  throw new AppError('FAILED_PRECONDITION', '操作繁忙，请稍后重试')
}

/** Makes sure every entry in the member's outbox is in the ledger collection, before reading it. */
export async function flushOutbox(member: MemberRecord): Promise<void> {
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
 * Drops outbox entries older than `olderThanMs` once they are in the ledger.
 * Safe to run at any time and any number of times.
 */
export async function trimOutbox(memberId: string, now: Date, olderThanMs = 10 * 60_000): Promise<number> {
  const member = await findMember(memberId)
  if (!member?.outbox) return 0
  const old = Object.values(member.outbox).filter((entry) => now.getTime() - new Date(entry.createdAt).getTime() >= olderThanMs)
  if (old.length === 0) return 0
  for (const entry of old) await copyToLedger(entry)
  const _ = database().command
  await database()
    .collection('members')
    .doc(memberId)
    .update(Object.fromEntries(old.map((entry) => [`outbox.${entry._id}`, _.remove()])))
  return old.length
}
