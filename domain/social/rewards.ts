/**
 * Rewards for what a friend does (好友成果奖励), never for the share itself (WeChat's rules): the
 * brand's rules say which outcome counts, what the sharer gets (points, a coupon, or both), at most
 * how many a sharer earns a day, and how many the campaign gives in all. Each reward is one ledger
 * entry on the sharer, its id derived from the cause (rule, sharer, friend), so it is given once
 * under retries and concurrency; a coupon, when the rule gives one, comes with it.
 */
import { z } from 'zod'
import type { AnyFact } from '../shared/events'
import type { PersonRecord } from './binding'

/**
 * The outcomes rewarded so far: the friend joined (the invitation), claimed a friend coupon the
 * sharer passed on, joined a group, made a first purchase, bought again (each credited to whom the
 * friend is bound to at that moment, except the invitation and the coupon, which name the sharer).
 * Purchase rewards stay locked (待入账) for the brand's return window.
 */
export const REWARD_OUTCOMES = ['joined', 'couponClaimed', 'groupJoined', 'firstPurchase', 'repurchase'] as const
export type RewardOutcome = (typeof REWARD_OUTCOMES)[number]

/** The friend's purchases, in the order they were counted: the first, then the second (复购). */
export const PURCHASE_OUTCOMES = ['firstPurchase', 'repurchase'] as const satisfies readonly RewardOutcome[]

export function isPurchaseOutcome(outcome: RewardOutcome): boolean {
  return (PURCHASE_OUTCOMES as readonly RewardOutcome[]).includes(outcome)
}

const instant = z.coerce.date().refine((date) => date.getTime() >= Date.UTC(2000, 0, 1) && date.getTime() <= Date.UTC(2100, 0, 1), 'must be between 2000 and 2100')

export const rewardRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,23}$/, 'must be 2 to 24 lowercase letters, digits or -'),
    /** what the member reads in the rules, e.g. 好友入会奖励 */
    name: z.string().trim().min(2).max(20),
    outcome: z.enum(REWARD_OUTCOMES),
    points: z.number().int().min(0).max(100_000).default(0),
    couponTemplateId: z.string().min(1).max(64).nullable().default(null),
    /** rewards of this rule one sharer may earn in a business day */
    dailyCapPerSharer: z.number().int().min(1).max(1000),
    /** rewards of this rule given in all: the campaign budget */
    budget: z.number().int().min(1).max(10_000_000),
    startsAt: instant.nullable().default(null),
    endsAt: instant.nullable().default(null),
    /** purchase outcomes: only a purchase within this many days of the friend's joining counts */
    withinDays: z.number().int().min(1).max(365).nullable().default(null),
  })
  .strict()
  .refine((rule) => rule.points > 0 || rule.couponTemplateId !== null, { message: 'a reward gives points, a coupon or both', path: ['points'] })
  .refine((rule) => rule.outcome !== 'firstPurchase' || rule.withinDays !== null, { message: 'a first-purchase reward names its window: within how many days of joining', path: ['withinDays'] })
  .refine((rule) => isPurchaseOutcome(rule.outcome) || rule.withinDays === null, { message: 'only purchase rewards have a window', path: ['withinDays'] })
  .refine((rule) => !rule.startsAt || !rule.endsAt || rule.startsAt < rule.endsAt, { message: 'must be after startsAt', path: ['endsAt'] })
export type RewardRule = z.infer<typeof rewardRuleSchema>

/** The rules list: ids unique (they are part of every reward's id). */
export const rewardRulesSchema = z
  .array(rewardRuleSchema)
  .max(50)
  .default([])
  .refine((rules) => new Set(rules.map((rule) => rule.id)).size === rules.length, 'rule ids must be unique')

/** A friend's outcome as the rewards see it: who did it, and how the sharer to credit is found. */
export interface FriendOutcome {
  outcome: RewardOutcome
  friendId: string
  at: Date
  /** the sharer named by the fact itself (the inviter, the coupon's sharer); null: the friend's binding decides */
  sharerId: string | null
  /** the friend's current binding decides (read when the outcome happens) */
  byBinding: boolean
}

/** The outcome a fact is, if the rewards follow it. */
export function friendOutcomeOf(fact: AnyFact): FriendOutcome | null {
  const at = new Date(fact.at)
  switch (fact.type) {
    case 'joined':
      return fact.data.inviterId ? { outcome: 'joined', friendId: fact.data.memberId, at, sharerId: fact.data.inviterId, byBinding: false } : null
    case 'coupon_claimed':
      return fact.data.source === 'friend' && fact.data.sharerMemberId ? { outcome: 'couponClaimed', friendId: fact.data.memberId, at, sharerId: fact.data.sharerMemberId, byBinding: false } : null
    case 'group_joined':
      return { outcome: 'groupJoined', friendId: fact.data.memberId, at, sharerId: null, byBinding: true }
    default:
      return null
  }
}

/** A purchase as the rewards see it; `ref` names it for its refund (counter purchase or online order). */
export interface FriendPurchase {
  friendId: string
  ref: string
  /** paid in money (cash, WeChat Pay or stored value), fen */
  amount: number
  at: Date
}

/** A purchase made with money, at the counter or online (an order paid with points alone is not one). */
export function purchaseOf(fact: AnyFact): FriendPurchase | null {
  const at = new Date(fact.at)
  if (fact.type === 'purchased' && fact.data.payable > 0) return { friendId: fact.data.memberId, ref: `counter:${fact.data.entryId}`, amount: fact.data.payable, at }
  if (fact.type === 'order_paid' && fact.data.amount > 0) return { friendId: fact.data.memberId, ref: `order:${fact.data.orderId}`, amount: fact.data.amount, at }
  return null
}

/** The purchase a refund fact gives back in full: the same `ref` as purchaseOf. */
export function refundedPurchaseOf(fact: AnyFact): string | null {
  if (fact.type === 'refunded') return `counter:${fact.data.purchaseId}`
  if (fact.type === 'order_refunded') return `order:${fact.data.orderId}`
  return null
}

/** The friend's n-th purchase (0-based) as an outcome: the first, the second, none after. */
export function purchaseOutcome(ordinal: number | null): RewardOutcome | null {
  return ordinal === null ? null : (PURCHASE_OUTCOMES[ordinal] ?? null)
}

/** Whether a purchase at `at` falls in the rule's window after the friend joined (no window: any time). */
export function inPurchaseWindow(rule: Pick<RewardRule, 'withinDays'>, joinedAt: Date, at: Date): boolean {
  return rule.withinDays === null || (at.getTime() >= joinedAt.getTime() && at.getTime() - joinedAt.getTime() <= rule.withinDays * 86_400_000)
}

/** When a purchase reward locked at `at` is unlocked: the return window later. */
export function unlockAt(at: Date, returnWindowDays: number): Date {
  return new Date(at.getTime() + returnWindowDays * 86_400_000)
}

/** The sharer an outcome credits: the one the fact names, else the one the friend is bound to now; never the friend. */
export function creditedSharer(outcome: FriendOutcome, friend: PersonRecord | null): string | null {
  const sharer = outcome.byBinding ? (friend?.boundTo?.sharerId ?? null) : outcome.sharerId
  return sharer && sharer !== outcome.friendId ? sharer : null
}

/** The rules that reward this outcome at its moment. */
export function rulesFor(outcome: RewardOutcome, at: Date, rules: readonly RewardRule[]): RewardRule[] {
  return rules.filter((rule) => rule.outcome === outcome && (!rule.startsAt || at >= rule.startsAt) && (!rule.endsAt || at < rule.endsAt))
}

/** One reward per rule, sharer and friend. */
export function rewardEntryId(ruleId: string, sharerId: string, friendId: string): string {
  return `reward:${ruleId}:${sharerId}:${friendId}`
}

/** The sharer's rewards of a rule on a business day (the daily cap's list on the member). */
export function rewardDayPath(day: string, ruleId: string): string {
  return `rewardDays.${day}.${ruleId}`
}
