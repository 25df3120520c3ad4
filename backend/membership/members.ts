import { AppError } from '../../domain/shared/errors'
import { FIRST_MEMBER_NO, formatMemberNo, toMemberView, type ChannelRecord, type MemberRecord } from '../../domain/membership/member'
import type { MemberView } from '../../domain/contract'
import { businessDay } from '../../domain/shared/time'
import { businessNow } from '../platform/clock'
import { database, isDuplicateKey } from '../platform/cloud'
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

/** The next member number (会员号), from one counter. */
export async function nextMemberNo(): Promise<string> {
  const db = database()
  const counters = db.collection('counters')
  for (let attempt = 0; attempt < 2; attempt++) {
    const { doc } = (await counters.where({ _id: 'memberNo' }).updateAndReturn({ seq: db.command.inc(1) })) as { doc?: { seq: number } }
    if (doc) return formatMemberNo(doc.seq)
    try {
      await counters.add({ _id: 'memberNo', seq: FIRST_MEMBER_NO - 1 })
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  }
  throw new Error('member number counter is unavailable')
}

/** Adds a new member; when the same WeChat user joined at the same moment, the one that got there first. */
export async function addMember<M extends MemberRecord>(member: M): Promise<{ member: MemberRecord; created: boolean }> {
  try {
    await database().collection('members').add(member)
    return { member, created: true }
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    const winner = await findMember(member._id)
    if (!winner) throw error
    return { member: winner, created: false }
  }
}
