import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { defineFunction } from '../../../backend/platform/handler'
import { loyaltyConfig } from '../../../backend/platform/config-store'
import { changeCardStatus, channelMembers, findMemberByNo, resetPayPassword, storeName, todayResults } from '../../../backend/membership'
import { adjustPoints, counterEntryId, counterLog, logCounterAction, quoteCounterPurchase, recordPurchase, refundPurchase, resumeCounter, topup, verifyMemberCode } from '../../../backend/loyalty'
import { memberCoupons, redeemCoupon } from './coupons'
import { collectPickup, previewPickup } from './pickup'

type Results = ActionResults['staff']

const CARD_ACTION_TEXT = { reportLoss: '挂失', cancelLoss: '解挂', freeze: '冻结', unfreeze: '解冻', resetPayPassword: '重置支付密码' } as const

export const main = defineFunction('staff', {
  async me(_input, { staff }): Promise<Results['me']> {
    const { rules } = await loyaltyConfig()
    return {
      adjustPointsMax: rules.adjustment.maxPoints,
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

  // The router admitted the caller by the roles the contract declares and passes their staff record.
  verifyMemberCode: (input, { staff, now }) => verifyMemberCode(input, staff, now),
  resumeCounter: (input, { staff, now }) => resumeCounter(input, staff, now),
  channelMembers: (input, { staff }) => channelMembers(input, staff),
  todayResults: async (_input, { staff, now }) => ({ results: await todayResults(staff._id, now) }),
  recordPurchase: (input, { staff, now }) => recordPurchase(input, staff, now),
  quotePurchase: (input, { staff, now }) => quoteCounterPurchase(input, staff, now),
  refundPurchase: (input, { staff, now }) => refundPurchase(input, staff, now),
  topup: (input, { staff, now }) => topup(input, staff, now),
  adjustPoints: (input, { staff, now }) => adjustPoints(input, staff, now),
  counterLog: ({ day }, { staff, now }) => counterLog(staff, day, now),
  memberCoupons: (input, { staff, now }) => memberCoupons(input, staff, now),
  redeemCoupon: (input, { staff, now }) => redeemCoupon(input, staff, now),
  previewPickup: (input, { staff, now }) => previewPickup(input, staff, now),
  collectPickup: (input, { staff, now }) => collectPickup(input, staff, now),

  /** 挂失 / 解挂 / 冻结 / 解冻 on the member's behalf, after the phone number the member tells matches. */
  async cardService({ memberNo, phone, action, requestId }, { staff, now }): Promise<Results['cardService']> {
    const member = await findMemberByNo(memberNo)
    if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
    if (!member.phone) throw new AppError('PHONE_NOT_BOUND', '该会员未绑定手机号，请会员在小程序内自助办理')
    if (member.phone !== phone) throw new AppError('PHONE_MISMATCH', '手机号与会员登记的不一致')
    let status = member.status
    // 重置支付密码: the member then sets a new one in the mini-program (a retry resets it again: nothing else changes)
    if (action === 'resetPayPassword') await resetPayPassword(member._id)
    else ({ status } = await changeCardStatus(member._id, action, { by: 'staff', staffId: staff._id, requestId }, now))
    await logCounterAction(counterEntryId(action, staff, requestId), staff, action, member, CARD_ACTION_TEXT[action], now)
    return { memberNo, status }
  },
})
