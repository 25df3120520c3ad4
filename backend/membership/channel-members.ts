/** Follow tracking (我带来的会员): the members a clerk's exclusive channel code brought in. */
import type { ActionResults, ParsedInput } from '../../domain/contract'
import type { MemberRecord } from '../../domain/membership/member'
import { AppError } from '../../domain/shared/errors'
import { database } from '../platform/cloud'
import type { StaffRecord } from '../platform/staff'
import { findChannel } from './members'

type Results = ActionResults['staff']

export async function channelMembers({ limit }: ParsedInput<'staff', 'channelMembers'>, staff: StaffRecord): Promise<Results['channelMembers']> {
  const channel = await findChannel(staff.channelId)
  if (!channel) throw new AppError('NO_STAFF_CHANNEL', '您还没有专属二维码，请联系门店店长开通')
  const members = database().collection('members')
  const [page, count] = await Promise.all([members.where({ channelId: channel._id }).orderBy('joinedAt', 'desc').limit(limit).get(), members.where({ channelId: channel._id }).count()])
  return {
    channel: { id: channel._id, name: channel.name },
    total: count.total,
    members: (page.data as MemberRecord[]).map((member) => ({
      memberNo: member.memberNo,
      nickname: member.nickname,
      joinedAt: new Date(member.joinedAt).toISOString(),
    })),
  }
}
