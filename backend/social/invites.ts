/** 我的邀请: the friends who joined through the member's shares, newest first, nicknames masked. */
import type { ActionResults } from '../../domain/contract'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'

/** 小林同学 → 小**学, Amy → A*y, 林 → 林*: the first and last characters, at most three stars between. */
export function maskNickname(nickname: string): string {
  const chars = [...nickname]
  if (chars.length <= 2) return `${chars[0] ?? ''}*`
  return `${chars[0]}${'*'.repeat(Math.min(3, chars.length - 2))}${chars[chars.length - 1]}`
}

export async function invitedFriends(inviterId: string, limit: number): Promise<ActionResults['social']['invites']> {
  const members = database().collection('members')
  const [page, count, { social }] = await Promise.all([
    members.where({ invitedBy: inviterId }).orderBy('joinedAt', 'desc').limit(limit).field({ nickname: true, joinedAt: true }).get(),
    members.where({ invitedBy: inviterId }).count(),
    loyaltyConfig(),
  ])
  return {
    total: count.total,
    binding: social.binding,
    friends: (page.data as { nickname: string; joinedAt: Date }[]).map((friend) => ({ nickname: maskNickname(friend.nickname), joinedAt: new Date(friend.joinedAt).toISOString() })),
  }
}
