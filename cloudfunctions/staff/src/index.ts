import { staffActions } from '../../../domain/contract'
import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/errors'
import { maskPhone, type MemberRecord } from '../../../domain/member'
import { verifyMemberCode } from '../../../domain/member-code'
import { database, requiredSetting } from '../../../backend/cloud'
import { defineFunction } from '../../../backend/handler'
import { findChannel, findMemberByNo, memberView } from '../../../backend/members'
import { requireStaff } from '../../../backend/staff'

type Results = ActionResults['staff']

export const main = defineFunction('staff', staffActions, {
  async me(_input, { caller }): Promise<Results['me']> {
    const staff = await requireStaff(caller)
    const { data } = await database().collection('stores').doc(staff.storeId).get()
    const store = data[0] as { name?: string } | undefined
    return {
      staff: {
        staffId: staff._id,
        name: staff.name,
        role: staff.role,
        storeId: staff.storeId,
        storeName: store?.name ?? staff.storeId,
        channelId: staff.channelId,
      },
    }
  },

  /** A clerk scans the code on the member's card. */
  async verifyMemberCode({ code }, { caller, now }): Promise<Results['verifyMemberCode']> {
    await requireStaff(caller)
    const check = verifyMemberCode(code, now.getTime(), requiredSetting('MEMBER_CODE_SECRET'))
    if (!check.ok) {
      if (check.reason === 'expired') throw new AppError('FAILED_PRECONDITION', '会员码已过期，请顾客刷新后重新出示')
      throw new AppError('INVALID_ARGUMENT', '会员码无效，请重新扫描', [{ path: 'code', message: check.reason }])
    }
    const member = await findMemberByNo(check.memberNo)
    if (!member) throw new AppError('NOT_FOUND', '未找到该会员')
    return { member: await memberView(member), maskedPhone: maskPhone(member.phone) }
  },

  /** Follow tracking: the members this clerk's exclusive channel code brought in. */
  async channelMembers({ limit }, { caller }): Promise<Results['channelMembers']> {
    const staff = await requireStaff(caller)
    const channel = await findChannel(staff.channelId)
    if (!channel) throw new AppError('FAILED_PRECONDITION', '您还没有专属二维码，请联系门店店长开通')
    const members = database().collection('members')
    const [page, count] = await Promise.all([
      members.where({ channelId: channel._id }).orderBy('joinedAt', 'desc').limit(limit).get(),
      members.where({ channelId: channel._id }).count(),
    ])
    return {
      channel: { id: channel._id, name: channel.name },
      total: count.total,
      members: (page.data as MemberRecord[]).map((member) => ({
        memberNo: member.memberNo,
        nickname: member.nickname,
        joinedAt: new Date(member.joinedAt).toISOString(),
      })),
    }
  },
})
