/**
 * Rewards for what a friend does (domain/social/rewards.ts), a follower of the facts that are
 * outcomes. For each rule the outcome meets, at most once per (rule, sharer, friend):
 *   1. the campaign budget: a slot is reserved on `reward_budgets/<rule>` by one conditional
 *      update (`granted < budget`), naming the reward in `pending` so a retry after a crash finds
 *      its slot instead of taking another;
 *   2. the ledger entry on the sharer, with the sharer's daily cap checked in the same update that
 *      applies it (the day's list of friends on the member, like the check-in's guard); a card
 *      that is lost or frozen, or a cap reached, gives the slot back;
 *   3. the slot is settled (its `pending` name dropped), and the coupon, if the rule gives one, is
 *      given under an id from the same cause.
 * A reward already in the ledger is answered before any of it (1 read). Every step is idempotent,
 * so a delivery that dies anywhere is finished by the next one, and neither the budget nor the
 * cap is ever exceeded. A purchase reward is locked (待入账) instead: its entry opens a lock on
 * the sharer until the return window has passed, is indexed in `reward_locks` after it, and its
 * coupon comes when the lock ends in an unlock (purchase-rewards.ts).
 */
import { creditedSharer, friendOutcomeOf, rewardDayPath, rewardEntryId, rulesFor, type RewardRule } from '../../domain/social'
import type { AnyFact } from '../../domain/shared/events'
import { businessDay, daysBefore } from '../../domain/shared/time'
import { AppError } from '../../domain/shared/errors'
import type { MemberRecord } from '../../domain/membership'
import { database, isDuplicateKey } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import type { Follower } from '../platform/events'
import { giveCoupon } from '../coupons'
import { findApplied, lockOpening, postEntry } from '../loyalty'
import { findPeople } from './people'
import { indexLock, type RewardLockRecord } from './reward-locks'

const budgets = () => database().collection('reward_budgets')

/** Refused by the sharer's daily cap of a rule. */
class DailyCapReached extends Error {}

/** Whether a slot of the rule's budget is held for this reward (taken now, or by an earlier try). */
async function reserve(rule: RewardRule, rewardId: string, now: Date): Promise<boolean> {
  const _ = database().command
  const pending = `pending.${rewardId}`
  const take = async () =>
    (
      await budgets()
        .where({ _id: rule.id, granted: _.lt(rule.budget), [pending]: _.exists(false) })
        .update({ granted: _.inc(1), [pending]: now })
    ).updated === 1
  if (await take()) return true
  const { data } = await budgets().doc(rule.id).get()
  const budget = data[0] as { pending?: Record<string, unknown> } | undefined
  if (budget?.pending?.[rewardId] !== undefined) return true
  if (budget) return false
  try {
    await budgets().add({ _id: rule.id, granted: 0, pending: {} })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  return take()
}

async function settle(rule: RewardRule, rewardId: string): Promise<void> {
  await budgets()
    .doc(rule.id)
    .update({ [`pending.${rewardId}`]: database().command.remove() })
}

async function giveBack(rule: RewardRule, rewardId: string): Promise<void> {
  const _ = database().command
  await budgets()
    .where({ _id: rule.id, [`pending.${rewardId}`]: _.exists(true) })
    .update({ granted: _.inc(-1), [`pending.${rewardId}`]: _.remove() })
}

type RewardMember = MemberRecord & { rewardDays?: Record<string, Record<string, string[]>> }

/** The days before a reward's whose cap lists its update drops on the way (a week: the list stays small). */
const DROPPED_DAYS = 7

export type RewardResult = 'given' | 'given-before' | 'budget-spent' | 'capped' | 'not-eligible'

/** A purchase reward's lock: until when, and the purchase whose refund cancels it. */
export interface RewardLockTerms {
  until: Date
  purchaseRef: string
}

/** What the reward's entry and its lock (if any) leave behind once applied; the same on every delivery. */
async function finish(rule: RewardRule, rewardId: string, sharerId: string, friendId: string, lock: RewardLockTerms | undefined, now: Date): Promise<void> {
  await settle(rule, rewardId)
  if (lock) {
    const record: RewardLockRecord = {
      _id: rewardId,
      sharerId,
      friendId,
      ruleId: rule.id,
      name: rule.name,
      points: rule.points,
      couponTemplateId: rule.couponTemplateId,
      ...lock,
      state: 'locked',
      createdAt: now,
    }
    await indexLock(record)
    return
  }
  // the coupon's id comes from the same cause, so a second delivery finds it given
  await giveCoupon(rule.couponTemplateId, sharerId, 'reward', `${rule.id}:${friendId}`, now)
}

/** One rule's reward to the sharer for the friend's outcome at `at`; locked when `lock` says until when. */
export async function giveReward(rule: RewardRule, sharerId: string, friendId: string, at: Date, now: Date, lock?: RewardLockTerms): Promise<RewardResult> {
  const { brand } = await loyaltyConfig()
  const _ = database().command
  const rewardId = rewardEntryId(rule.id, sharerId, friendId)
  // given before (and in the ledger): nothing to reserve; finish what a crash may have left
  if (await findApplied(rewardId)) {
    await finish(rule, rewardId, sharerId, friendId, lock, now)
    return 'given-before'
  }
  if (!(await reserve(rule, rewardId, now))) return 'budget-spent'
  const day = businessDay(at, brand.timeZone)
  const path = rewardDayPath(day, rule.id)
  let result: RewardResult
  try {
    const posted = await postEntry(
      {
        _id: rewardId,
        memberId: sharerId,
        kind: 'reward',
        points: lock ? 0 : rule.points,
        ...(lock ? { locked: rule.points } : {}),
        balance: 0,
        growth: 0,
        requestId: rewardId,
        businessDay: day,
        createdAt: now,
        description: rule.name,
        detail: { ruleId: rule.id, outcome: rule.outcome, friendId, ...(lock ? { until: lock.until, purchaseRef: lock.purchaseRef } : {}) },
      },
      {
        knownNew: true,
        extraUpdate: {
          [path]: _.push(friendId),
          ...Object.fromEntries(daysBefore(day, DROPPED_DAYS).map((earlier) => [`rewardDays.${earlier}`, _.remove()])),
          ...(lock ? lockOpening(rewardId, rule.points, lock.until) : {}),
        },
        condition: {
          where: { [`${path}.${rule.dailyCapPerSharer - 1}`]: _.exists(false) },
          holds: (member) => ((member as RewardMember).rewardDays?.[day]?.[rule.id]?.length ?? 0) < rule.dailyCapPerSharer,
          refusal: () => new DailyCapReached(),
        },
      },
    )
    result = posted.replayed ? 'given-before' : 'given'
  } catch (error) {
    const refused = error instanceof DailyCapReached || (error instanceof AppError && ['CARD_LOST', 'CARD_FROZEN', 'NOT_A_MEMBER'].includes(error.reason))
    if (!refused) throw error
    await giveBack(rule, rewardId)
    return error instanceof DailyCapReached ? 'capped' : 'not-eligible'
  }
  await finish(rule, rewardId, sharerId, friendId, lock, now)
  return result
}

async function rewardOutcome(fact: AnyFact, now: Date): Promise<void> {
  const outcome = friendOutcomeOf(fact)
  if (!outcome) return
  const { social } = await loyaltyConfig()
  const rules = rulesFor(outcome.outcome, outcome.at, social.rewards)
  if (rules.length === 0) return
  const friend = outcome.byBinding ? ((await findPeople([outcome.friendId])).get(outcome.friendId) ?? null) : null
  const sharerId = creditedSharer(outcome, friend)
  if (!sharerId) return
  for (const rule of rules) await giveReward(rule, sharerId, outcome.friendId, outcome.at, now)
}

/** Rewards the sharer for what the friend did (a follower of joined, coupon_claimed and group_joined). */
export const socialRewardsFollower: Follower = { name: 'social-rewards', handle: rewardOutcome }
