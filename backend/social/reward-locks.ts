/**
 * Purchase rewards while they are locked (待入账). The lock itself lives on the sharer's member
 * document and ends by a ledger entry (backend/loyalty/locks.ts); `reward_locks` is its index,
 * written after the reward's entry: which purchase it was for (a refund looks it up) and when it
 * unlocks (the minute's sweep finds it). `purchase_refunds` records each refunded purchase before
 * its locks are looked up, so a lock indexed after the refund's follower ran is cancelled by the
 * sweep instead of unlocked. The index's `state` follows the member's lock and may lag it; every
 * step decides from the lock.
 */
import { database, isDuplicateKey } from '../platform/cloud'
import type { Job } from '../platform/job-runner'
import { outcome } from '../platform/job-runner'
import { reverseLock, unlockPoints, type LockRef, type Reversal } from '../loyalty'
import { giveCoupon } from '../coupons'

export type RewardLockState = 'locked' | 'unlocked' | 'cancelled' | 'clawedBack'

export interface RewardLockRecord {
  /** the reward's entry id, which opened the lock */
  _id: string
  sharerId: string
  friendId: string
  ruleId: string
  name: string
  points: number
  couponTemplateId: string | null
  purchaseRef: string
  until: Date
  state: RewardLockState
  createdAt: Date
}

export const rewardLocks = () => database().collection('reward_locks')
const purchaseRefunds = () => database().collection('purchase_refunds')

export async function indexLock(record: RewardLockRecord): Promise<void> {
  try {
    await rewardLocks().add(record)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

function lockRef(record: RewardLockRecord): LockRef {
  return { id: record._id, memberId: record.sharerId, points: record.points, description: record.name }
}

async function setState(record: RewardLockRecord, state: RewardLockState): Promise<void> {
  await rewardLocks().doc(record._id).update({ state })
}

/** The coupon of an unlocked reward, under an id from the reward's cause (given once). */
async function unlockedCoupon(record: RewardLockRecord, now: Date): Promise<void> {
  await giveCoupon(record.couponTemplateId, record.sharerId, 'reward', `${record.ruleId}:${record.friendId}`, now)
}

/** The purchase was refunded: its reward is cancelled while locked, clawed back once unlocked. */
export async function reverseReward(record: RewardLockRecord, now: Date): Promise<Reversal> {
  const reversal = await reverseLock(lockRef(record), now)
  if (reversal !== 'none') await setState(record, reversal)
  return reversal
}

/** Records the refund, then reverses every reward of the purchase indexed so far. */
export async function purchaseRefunded(purchaseRef: string, now: Date): Promise<void> {
  try {
    await purchaseRefunds().add({ _id: purchaseRef, at: now })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  const { data } = await rewardLocks().where({ purchaseRef }).get()
  for (const record of data as RewardLockRecord[]) await reverseReward(record, now)
}

async function wasRefunded(purchaseRef: string): Promise<boolean> {
  const { data } = await purchaseRefunds().doc(purchaseRef).get()
  return data.length > 0
}

/** Ends one lock whose window has passed: unlocked (with the rule's coupon), or cancelled when its purchase was refunded. */
export async function endRewardLock(record: RewardLockRecord, now: Date): Promise<RewardLockState> {
  const ended = (await wasRefunded(record.purchaseRef)) ? await reverseReward(record, now) : (await unlockPoints(lockRef(record), now)).state
  if (ended === 'unlocked') await unlockedCoupon(record, now)
  if (ended === 'open' || ended === 'none') throw new Error(`reward lock ${record._id} is indexed but ${ended === 'open' ? 'still open' : 'was never opened'} on the member`)
  await setState(record, ended)
  return ended
}

/** The minute's sweep of locks whose return window has passed. */
export const rewardUnlocksJob: Job<Record<string, never>> = {
  name: 'reward-unlocks',
  collection: 'reward_locks',
  where: (_params, now) => ({ state: 'locked', until: database().command.lte(now) }),
  fields: 'all',
  async work(document, _params, now) {
    return outcome(await endRewardLock(document as unknown as RewardLockRecord, now), 1)
  },
}
