import { staffActions } from '../../../domain/contract'
import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/errors'
import { defineFunction } from '../../../backend/handler'
import { findMemberByNo } from '../../../backend/members'
import { changeCardStatus } from '../../../backend/card-services'
import { requireStaff } from '../../../backend/staff'
import { storeName } from '../../../backend/stores'
import { adjustPoints, counterEntryId, recordPurchase, topup } from './counter'
import { counterLog, logCounterAction } from './log'
import { refundPurchase } from './refund'
import { channelMembers, verifyMemberCode } from './verify'
import { memberCoupons, redeemCoupon } from './coupons'
import { collectPickup } from './pickup'

type Results = ActionResults['staff']

const CARD_ACTION_TEXT = { reportLoss: '挂失', cancelLoss: '解挂', freeze: '冻结', unfreeze: '解冻' } as const

export const main = defineFunction('staff', staffActions, {
  async me(_input, { caller }): Promise<Results['me']> {
    const staff = await requireStaff(caller)
    return {
      staff: {
        staffId: staff._id,
        name: staff.name,
        role: staff.role,
        storeId: staff.storeId,
        storeName: await storeName(staff.storeId),
        channelId: staff.channelId,
      },
    }
  },

  verifyMemberCode: async (input, { caller, now }) => verifyMemberCode(input, await requireStaff(caller), now),
  channelMembers: async (input, { caller }) => channelMembers(input, await requireStaff(caller)),
  recordPurchase: async (input, { caller, now }) => recordPurchase(input, await requireStaff(caller), now),
  refundPurchase: async (input, { caller, now }) => refundPurchase(input, await requireStaff(caller), now),
  topup: async (input, { caller, now }) => topup(input, await requireStaff(caller), now),
  adjustPoints: async (input, { caller, now }) => adjustPoints(input, await requireStaff(caller), now),
  counterLog: async ({ day }, { caller, now }) => counterLog(await requireStaff(caller), day, now),
  memberCoupons: async (input, { caller, now }) => memberCoupons(input, await requireStaff(caller), now),
  redeemCoupon: async (input, { caller, now }) => redeemCoupon(input, await requireStaff(caller), now),
  collectPickup: async (input, { caller, now }) => collectPickup(input, await requireStaff(caller), now),

  /** 挂失 / 解挂 / 冻结 / 解冻 on the member's behalf, after the phone number the member tells matches. */
  async cardService({ memberNo, phone, action, requestId }, { caller, now }): Promise<Results['cardService']> {
    const staff = await requireStaff(caller)
    const member = await findMemberByNo(memberNo)
    if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
    if (!member.phone) throw new AppError('PHONE_NOT_BOUND', '该会员未绑定手机号，请会员在小程序内自助办理')
    if (member.phone !== phone) throw new AppError('PHONE_MISMATCH', '手机号与会员登记的不一致')
    const { status } = await changeCardStatus(member._id, action, { by: 'staff', staffId: staff._id, requestId }, now)
    await logCounterAction(counterEntryId(action, staff, requestId), staff, action, member, CARD_ACTION_TEXT[action], now)
    return { memberNo, status }
  },
})
