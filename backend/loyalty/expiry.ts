/**
 * Points expiry for one member: replay the member's whole ledger into lots (domain/expiry.ts)
 * and post ONE entry `expire:<member>:<cutoffYear>` taking what is left of the expired lots.
 *
 * The entry is applied with one conditional update guarded by the exact member state the lots
 * were computed from (how many entries it has applied, points and points owed). A plain
 * `points ≥ amount` guard is not enough: a spend and an earn in between can leave the points
 * unchanged while the spend took the old lot (FIFO), and the expiry would then eat newer
 * points. When anything was posted meanwhile the guard fails and the lots are recomputed, so
 * the expiry never takes more than the old lots hold and never drives points negative. The
 * id (and `pointsExpiredThrough`, set in the same update) makes a second run, or a concurrent
 * one, a no-op at any age; it also lets the nightly query skip members already done.
 */
import { AppError } from '../../domain/shared/errors'
import { amountToExpire, expireDescription, expireEntryId, replayLots, type LotState } from '../../domain/loyalty/expiry'
import type { LoyaltyMember } from '../../domain/loyalty/earning'
import { unionById } from '../../domain/loyalty/invariants'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import type { MemberRecord } from '../../domain/membership'
import { businessDay } from '../../domain/shared/time'
import { database } from '../platform/cloud'
import { copyToLedger, flushOutbox } from './ledger'
import { findMember } from '../membership'

const PAGE = 1000
const MAX_ATTEMPTS = 8

/** Every ledger entry of a member (paged by _id, 1000 at a time), plus what is still only in the outbox. */
export async function memberEntries(member: Pick<MemberRecord, '_id' | 'outbox'>, options: { flush?: boolean } = {}): Promise<LedgerEntry[]> {
  if (options.flush) await flushOutbox(member as MemberRecord)
  const _ = database().command
  const entries: LedgerEntry[] = []
  let after = ''
  for (;;) {
    const { data } = await database()
      .collection('ledger')
      .where({ memberId: member._id, _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .limit(PAGE)
      .get()
    entries.push(...(data as LedgerEntry[]))
    if (data.length < PAGE) break
    after = (data[data.length - 1] as LedgerEntry)._id
  }
  return unionById(entries, member.outbox)
}

export async function memberLots(member: Pick<MemberRecord, '_id' | 'outbox'>): Promise<LotState> {
  return replayLots(await memberEntries(member))
}

export interface MemberExpiry {
  expired: number
  /** the member had been handled for this cutoff year before */
  alreadyDone: boolean
}

/**
 * Expires what is left of the lots earned up to cutoffYear − 1 (policy endOfNextYear), once.
 * Safe to run any number of times, concurrently, on any card status.
 */
export async function expireMemberPoints(memberId: string, cutoffYear: number, now: Date, timeZone: string): Promise<MemberExpiry> {
  const db = database()
  const _ = db.command
  const id = expireEntryId(memberId, cutoffYear)
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = (await findMember(memberId)) as LoyaltyMember | null
    if (!member) return { expired: 0, alreadyDone: false }
    if (member.outbox?.[id] || (member.pointsExpiredThrough ?? 0) >= cutoffYear) return { expired: 0, alreadyDone: true }
    const entries = await memberEntries(member, { flush: true })
    const done = entries.some((entry) => entry._id === id)
    const amount = done ? 0 : Math.min(amountToExpire(replayLots(entries), cutoffYear), member.points)
    const markDone = { pointsExpiredThrough: cutoffYear }
    if (amount <= 0) {
      await db
        .collection('members')
        .where({ _id: memberId, pointsExpiredThrough: _.exists(false).or(_.lt(cutoffYear)) })
        .update(markDone)
      return { expired: 0, alreadyDone: done }
    }
    const entry: LedgerEntry = {
      _id: id,
      memberId,
      kind: 'expire',
      points: -amount,
      balance: 0,
      growth: 0,
      requestId: `expire-${cutoffYear}`,
      businessDay: businessDay(now, timeZone),
      createdAt: now,
      description: expireDescription(cutoffYear),
    }
    const { updated } = (await db
      .collection('members')
      .where({
        _id: memberId,
        entryCount: member.entryCount ?? _.exists(false),
        [`outbox.${id}`]: _.exists(false),
        pointsExpiredThrough: _.exists(false).or(_.lt(cutoffYear)),
        points: member.points,
        pointsOwed: member.pointsOwed,
      })
      .update({
        points: _.inc(-amount),
        entryCount: _.inc(1),
        [`outbox.${id}`]: entry,
        lastEntryAt: now,
        ...markDone,
      })) as { updated?: number }
    if (updated === 1) {
      await copyToLedger(entry)
      return { expired: amount, alreadyDone: false }
    }
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * (attempt + 1)))
  }
  throw new AppError('BUSY', `points expiry for ${memberId} kept conflicting; it will be retried by the next run`)
}
