/**
 * Rewards for a friend's purchases (首单, 复购), a follower of the purchase and refund facts. The
 * friend's first two purchases are counted on their person, in the order their facts arrive
 * (counted once each by its ref); the sharer the friend is bound to when buying is credited,
 * locked for the brand's return window (reward-locks.ts). A refund in full cancels the locked
 * reward or, once unlocked, claws it back.
 */
import { creditedSharer, inPurchaseWindow, purchaseOf, purchaseOutcome, refundedPurchaseOf, rulesFor, unlockAt, type FriendPurchase, type PersonRecord } from '../../domain/social'
import type { AnyFact } from '../../domain/shared/events'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import type { Follower } from '../platform/events'
import { findMember } from '../membership'
import { findPeople, people } from './people'
import { giveReward } from './rewards'
import { purchaseRefunded } from './reward-locks'

const COUNTED_PURCHASES = 2

/**
 * The purchase's place among the person's purchases (0: the first), counting it if it is one of
 * the first two; null after those. One conditional push when it is new.
 */
async function countPurchase(person: PersonRecord, ref: string): Promise<number | null> {
  const _ = database().command
  let read: PersonRecord | undefined = person
  for (let attempt = 0; attempt < 5 && read; attempt++) {
    const counted = read.purchases ?? []
    if (counted.includes(ref)) return counted.indexOf(ref)
    if (counted.length >= COUNTED_PURCHASES) return null
    const { updated } = await people()
      .where({ _id: person._id, [`purchases.${counted.length}`]: _.exists(false), purchases: _.neq(ref) })
      .update({ purchases: _.push(ref) })
    if (updated === 1) return counted.length
    read = (await findPeople([person._id])).get(person._id)
  }
  throw new Error(`could not count purchase ${ref} of ${person._id}`)
}

async function joinedAt(person: PersonRecord): Promise<Date | null> {
  if (person.memberAt) return new Date(person.memberAt)
  // the purchase's fact came before the join's own follower wrote the person
  const member = await findMember(person._id)
  return member ? new Date(member.joinedAt) : null
}

async function rewardPurchase(purchase: FriendPurchase, now: Date): Promise<void> {
  const person = (await findPeople([purchase.friendId])).get(purchase.friendId)
  if (!person) return
  const outcome = purchaseOutcome(await countPurchase(person, purchase.ref))
  if (!outcome) return
  const { social } = await loyaltyConfig()
  const sharerId = creditedSharer({ outcome, friendId: purchase.friendId, at: purchase.at, sharerId: null, byBinding: true }, person)
  const rules = rulesFor(outcome, purchase.at, social.rewards)
  if (!sharerId || rules.length === 0) return
  const joined = await joinedAt(person)
  if (!joined) return
  const lock = { until: unlockAt(purchase.at, social.returnWindowDays), purchaseRef: purchase.ref }
  for (const rule of rules.filter((one) => inPurchaseWindow(one, joined, purchase.at))) await giveReward(rule, sharerId, purchase.friendId, purchase.at, now, lock)
}

async function onPurchaseFact(fact: AnyFact, now: Date): Promise<void> {
  const purchase = purchaseOf(fact)
  if (purchase) return rewardPurchase(purchase, now)
  const refunded = refundedPurchaseOf(fact)
  if (refunded) await purchaseRefunded(refunded, now)
}

/** Counts the friend's purchases and rewards (locked) whom they are bound to; reverses on a refund. */
export const socialPurchasesFollower: Follower = { name: 'social-purchases', handle: onPurchaseFact }
