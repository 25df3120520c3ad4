/**
 * 我的邀请: the friends who joined through the member's shares (newest first, nicknames masked,
 * with how far each has come), the reward rules on offer (shown before the member takes part) and
 * the rewards the member got: credited, 待入账 until the return window passes, or taken away by a
 * refund.
 */
import type { ActionResults, InvitedFriendView, RewardRuleView, RewardView } from '../../domain/contract'
import { isPurchaseOutcome, rulesFor, REWARD_OUTCOMES, type PersonRecord, type RewardRule } from '../../domain/social'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { maskNickname, type MemberRecord } from '../../domain/membership'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { findTemplate } from '../coupons'
import { findMember } from '../membership'
import { findPeople } from './people'
import { rewardLocks, type RewardLockRecord } from './reward-locks'

const LATEST_REWARDS = 20
/** The entries that credit or take back a reward's points (the reward itself when not locked). */
const CREDITING_KINDS = ['reward', 'reward-unlock', 'reward-clawback']

async function ruleView(rule: RewardRule, returnWindowDays: number): Promise<RewardRuleView> {
  const coupon = rule.couponTemplateId ? await findTemplate(rule.couponTemplateId).catch(() => null) : null
  return {
    name: rule.name,
    outcome: rule.outcome,
    withinDays: rule.withinDays,
    lockedDays: isPurchaseOutcome(rule.outcome) ? returnWindowDays : null,
    points: rule.points,
    couponName: coupon?.name ?? null,
    dailyCap: rule.dailyCapPerSharer,
    budget: rule.budget,
    endsAt: rule.endsAt ? rule.endsAt.toISOString() : null,
  }
}

function stageOf(person: PersonRecord | undefined): InvitedFriendView['stage'] {
  const purchases = person?.purchases?.length ?? 0
  return purchases >= 2 ? 'repurchased' : purchases === 1 ? 'purchased' : 'joined'
}

function rewardState(entry: LedgerEntry, member: MemberRecord | null, locks: Map<string, RewardLockRecord>): Pick<RewardView, 'state' | 'until'> {
  if (!entry.locked) return { state: 'credited', until: null }
  const open = member?.locks?.[entry._id]
  if (open) return { state: 'locked', until: new Date(open.until).toISOString() }
  const state = locks.get(entry._id)?.state
  return { state: state === 'cancelled' || state === 'clawedBack' ? state : 'credited', until: null }
}

export async function invitedFriends(inviterId: string, limit: number, now: Date): Promise<ActionResults['social']['invites']> {
  const db = database()
  const _ = db.command
  const members = db.collection('members')
  const rewardsOf = db.collection('ledger').where({ memberId: inviterId, kind: 'reward' })
  const [page, count, { social }, latest, sum, member] = await Promise.all([
    members.where({ invitedBy: inviterId }).orderBy('joinedAt', 'desc').limit(limit).field({ nickname: true, joinedAt: true }).get(),
    members.where({ invitedBy: inviterId }).count(),
    loyaltyConfig(),
    rewardsOf.orderBy('createdAt', 'desc').limit(LATEST_REWARDS).get(),
    db
      .collection('ledger')
      .aggregate()
      .match({ memberId: inviterId, kind: _.in(CREDITING_KINDS) })
      .group({ _id: null, points: _.aggregate.sum('$points') })
      .end(),
    findMember(inviterId),
  ])
  const entries = latest.data as LedgerEntry[]
  const friends = page.data as { _id: string; nickname: string; joinedAt: Date }[]
  const friendIds = [...new Set(entries.map((entry) => String(entry.detail?.friendId ?? '')).filter(Boolean))]
  const lockedIds = entries.filter((entry) => entry.locked && !member?.locks?.[entry._id]).map((entry) => entry._id)
  const [names, persons, locks] = await Promise.all([
    friendIds.length === 0
      ? new Map<string, string>()
      : members
          .where({ _id: _.in(friendIds) })
          .field({ nickname: true })
          .get()
          .then(({ data }) => new Map((data as { _id: string; nickname: string }[]).map((friend) => [friend._id, friend.nickname]))),
    friends.length === 0 ? new Map<string, PersonRecord>() : findPeople(friends.map((friend) => friend._id)),
    lockedIds.length === 0
      ? new Map<string, RewardLockRecord>()
      : rewardLocks()
          .where({ _id: _.in(lockedIds) })
          .get()
          .then(({ data }) => new Map((data as RewardLockRecord[]).map((lock) => [lock._id, lock]))),
  ])
  const offered = REWARD_OUTCOMES.flatMap((outcome) => rulesFor(outcome, now, social.rewards))
  return {
    total: count.total,
    binding: social.binding,
    friends: friends.map((friend) => ({ nickname: maskNickname(friend.nickname), joinedAt: new Date(friend.joinedAt).toISOString(), stage: stageOf(persons.get(friend._id)) })),
    rules: await Promise.all(offered.map((rule) => ruleView(rule, social.returnWindowDays))),
    rewards: {
      points: Number((sum.data[0] as { points?: number } | undefined)?.points ?? 0),
      locked: member?.pointsLocked ?? 0,
      latest: entries.map((entry) => ({
        description: entry.description,
        points: entry.points + (entry.locked ?? 0),
        ...rewardState(entry, member, locks),
        friend: maskNickname(names.get(String(entry.detail?.friendId ?? '')) ?? '好友'),
        at: new Date(entry.createdAt).toISOString(),
      })),
    },
  }
}
