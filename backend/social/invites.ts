/**
 * 我的邀请: the friends who joined through the member's shares (newest first, nicknames masked),
 * the reward rules on offer (shown before the member takes part) and the rewards the member got.
 */
import type { ActionResults, RewardRuleView } from '../../domain/contract'
import { rulesFor, REWARD_OUTCOMES, type RewardRule } from '../../domain/social'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { maskNickname } from '../../domain/membership'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { findTemplate } from '../coupons'

const LATEST_REWARDS = 20

async function ruleView(rule: RewardRule): Promise<RewardRuleView> {
  const coupon = rule.couponTemplateId ? await findTemplate(rule.couponTemplateId).catch(() => null) : null
  return {
    name: rule.name,
    outcome: rule.outcome,
    points: rule.points,
    couponName: coupon?.name ?? null,
    dailyCap: rule.dailyCapPerSharer,
    budget: rule.budget,
    endsAt: rule.endsAt ? rule.endsAt.toISOString() : null,
  }
}

export async function invitedFriends(inviterId: string, limit: number, now: Date): Promise<ActionResults['social']['invites']> {
  const db = database()
  const _ = db.command
  const members = db.collection('members')
  const rewardsOf = db.collection('ledger').where({ memberId: inviterId, kind: 'reward' })
  const [page, count, { social }, latest, sum] = await Promise.all([
    members.where({ invitedBy: inviterId }).orderBy('joinedAt', 'desc').limit(limit).field({ nickname: true, joinedAt: true }).get(),
    members.where({ invitedBy: inviterId }).count(),
    loyaltyConfig(),
    rewardsOf.orderBy('createdAt', 'desc').limit(LATEST_REWARDS).get(),
    db
      .collection('ledger')
      .aggregate()
      .match({ memberId: inviterId, kind: 'reward' })
      .group({ _id: null, points: _.aggregate.sum('$points') })
      .end(),
  ])
  const entries = latest.data as LedgerEntry[]
  const friendIds = [...new Set(entries.map((entry) => String(entry.detail?.friendId ?? '')).filter(Boolean))]
  const names =
    friendIds.length === 0
      ? new Map<string, string>()
      : new Map(
          (
            (
              await members
                .where({ _id: _.in(friendIds) })
                .field({ nickname: true })
                .get()
            ).data as { _id: string; nickname: string }[]
          ).map((friend) => [friend._id, friend.nickname]),
        )
  const offered = REWARD_OUTCOMES.flatMap((outcome) => rulesFor(outcome, now, social.rewards))
  return {
    total: count.total,
    binding: social.binding,
    friends: (page.data as { nickname: string; joinedAt: Date }[]).map((friend) => ({ nickname: maskNickname(friend.nickname), joinedAt: new Date(friend.joinedAt).toISOString() })),
    rules: await Promise.all(offered.map(ruleView)),
    rewards: {
      points: Number((sum.data[0] as { points?: number } | undefined)?.points ?? 0),
      latest: entries.map((entry) => ({
        description: entry.description,
        points: entry.points,
        friend: maskNickname(names.get(String(entry.detail?.friendId ?? '')) ?? '好友'),
        at: new Date(entry.createdAt).toISOString(),
      })),
    },
  }
}
