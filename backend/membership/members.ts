import { AppError } from '../../domain/shared/errors'
import { toMemberView, type ChannelRecord, type MemberRecord } from '../../domain/membership/member'
import type { MemberView } from '../../domain/contract'
import { businessDay } from '../../domain/shared/time'
import { businessNow } from '../platform/clock'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'

export async function findMember(memberId: string): Promise<MemberRecord | null> {
  const { data } = await database().collection('members').doc(memberId).get()
  return (data[0] as MemberRecord | undefined) ?? null
}

export async function findMemberByNo(memberNo: string): Promise<MemberRecord | null> {
  const { data } = await database().collection('members').where({ memberNo }).limit(1).get()
  return (data[0] as MemberRecord | undefined) ?? null
}

export async function findChannel(channelId: string | null): Promise<ChannelRecord | null> {
  if (!channelId) return null
  const { data } = await database().collection('channels').doc(channelId).get()
  return (data[0] as ChannelRecord | undefined) ?? null
}

export async function memberView(member: MemberRecord): Promise<MemberView> {
  const [{ tiers, cardTypes, brand }, channel] = await Promise.all([loyaltyConfig(), findChannel(member.channelId)])
  return toMemberView(member, tiers, cardTypes, channel, Number(businessDay(businessNow(), brand.timeZone).slice(0, 4)))
}

export function notAMember(): AppError {
  return new AppError('NOT_A_MEMBER', '您还不是会员，加入会员即可享受会员权益')
}
