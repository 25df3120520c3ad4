/**
 * Locked points (待入账): points a member has earned but may not spend until a window has passed
 * (a purchase's return window). A lock is opened by an entry that adds to `pointsLocked` and
 * writes `locks.<entry id>` on the member in the same update (`lockOpening`). It ends exactly
 * once, by one of two entries that both require the lock open and remove it in their own update:
 *   unlock:<lock>  pointsLocked − P, points + P   (the points become spendable)
 *   cancel:<lock>  pointsLocked − P               (refunded inside the window: never spendable)
 * After an unlock, a refund takes the points back by clawback:<lock> (points owed if spent).
 * Each is a ledger entry under an id from its cause, so each is refused on replay at any age, and
 * an unlock racing a cancel leaves exactly one of them applied.
 */
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { businessDay } from '../../domain/shared/time'
import type { MemberRecord } from '../../domain/membership'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { findMember } from '../membership'
import { findApplied, postEntry } from './ledger'

export interface LockRef {
  /** the entry that opened the lock */
  id: string
  memberId: string
  points: number
  /** what the member reads for the entries that end it, e.g. 好友首单奖励 */
  description: string
}

export type LockState = { state: 'open' } | { state: 'unlocked'; entry: LedgerEntry } | { state: 'cancelled' } | { state: 'none' }

/** The update fields that open a lock, in the same update as its entry (which has `locked: points`). */
export function lockOpening(lockId: string, points: number, until: Date): Record<string, unknown> {
  return { [`locks.${lockId}`]: { points, until } }
}

export const unlockEntryId = (lockId: string) => `unlock:${lockId}`
export const cancelEntryId = (lockId: string) => `cancel:${lockId}`
export const clawbackEntryId = (lockId: string) => `clawback:${lockId}`

/** Refused because the lock is not open (ended before, or never opened). */
class LockNotOpen extends Error {}

/** Where the lock stands, from the member and (when it is not open) the entries that end it. */
export async function lockState(memberId: string, lockId: string): Promise<LockState> {
  const member = await findMember(memberId)
  if (member?.locks?.[lockId]) return { state: 'open' }
  const unlocked = await findApplied(unlockEntryId(lockId), member)
  if (unlocked) return { state: 'unlocked', entry: unlocked }
  return (await findApplied(cancelEntryId(lockId), member)) ? { state: 'cancelled' } : { state: 'none' }
}

async function closeLock(lock: LockRef, end: 'unlocked' | 'cancelled', now: Date): Promise<LockState> {
  const { brand } = await loyaltyConfig()
  const _ = database().command
  const id = end === 'unlocked' ? unlockEntryId(lock.id) : cancelEntryId(lock.id)
  try {
    await postEntry(
      {
        _id: id,
        memberId: lock.memberId,
        kind: end === 'unlocked' ? 'reward-unlock' : 'reward-cancel',
        points: end === 'unlocked' ? lock.points : 0,
        locked: -lock.points,
        balance: 0,
        growth: 0,
        requestId: id,
        businessDay: businessDay(now, brand.timeZone),
        createdAt: now,
        description: end === 'unlocked' ? `${lock.description}入账` : `${lock.description}取消（好友退款）`,
        reverses: lock.id,
      },
      {
        // a lost or frozen card still has its locks ended, as expiry and refunds still apply to it
        allowInactive: true,
        extraUpdate: { [`locks.${lock.id}`]: _.remove() },
        condition: {
          where: { [`locks.${lock.id}`]: _.exists(true) },
          holds: (member: MemberRecord) => member.locks?.[lock.id] !== undefined,
          refusal: () => new LockNotOpen(),
        },
      },
    )
  } catch (error) {
    if (!(error instanceof LockNotOpen)) throw error
  }
  return lockState(lock.memberId, lock.id)
}

/** The window has passed: the locked points become spendable (or stay as the lock ended before). */
export function unlockPoints(lock: LockRef, now: Date): Promise<LockState> {
  return closeLock(lock, 'unlocked', now)
}

export type Reversal = 'cancelled' | 'clawedBack' | 'none'

/**
 * What the lock was for was refunded: an open lock is cancelled; points already unlocked are taken
 * back through the ledger, as points owed when the member spent them.
 */
export async function reverseLock(lock: LockRef, now: Date): Promise<Reversal> {
  const ended = await closeLock(lock, 'cancelled', now)
  if (ended.state === 'cancelled') return 'cancelled'
  if (ended.state !== 'unlocked') return 'none'
  const { brand } = await loyaltyConfig()
  const id = clawbackEntryId(lock.id)
  await postEntry(
    {
      _id: id,
      memberId: lock.memberId,
      kind: 'reward-clawback',
      points: -lock.points,
      allowOwing: true,
      lotYear: Number(ended.entry.businessDay.slice(0, 4)),
      balance: 0,
      growth: 0,
      requestId: id,
      businessDay: businessDay(now, brand.timeZone),
      createdAt: now,
      description: `${lock.description}扣回（好友退款）`,
      reverses: ended.entry._id,
    },
    { allowInactive: true },
  )
  return 'clawedBack'
}
