import type { ActionInput } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'

/**
 * Counter actions carry the counterToken that verifyMemberCode returned, and a requestId
 * per intent (see intent.ts): a retry of the same submit sends the same id and is applied once.
 */
export const staffService = {
  /** Succeeds only for staff (clerk, manager or head office). */
  me: () => retryOnNetwork(() => callFunction('staff', 'me', {})),
  verifyMemberCode: (code: string) => retryOnNetwork(() => callFunction('staff', 'verifyMemberCode', { code })),
  resumeCounter: (counterToken: string) => retryOnNetwork(() => callFunction('staff', 'resumeCounter', { counterToken })),
  channelMembers: (limit = 50) => retryOnNetwork(() => callFunction('staff', 'channelMembers', { limit })),
  /** 今日业绩: counted from the day's facts, about a minute behind the counter. */
  todayResults: () => retryOnNetwork(() => callFunction('staff', 'todayResults', {})),
  recordPurchase: (input: ActionInput<'staff', 'recordPurchase'>) => retryOnNetwork(() => callFunction('staff', 'recordPurchase', input)),
  /** The member's coupons usable in store now, for the coupon picker of 记录消费. */
  quotePurchase: (counterToken: string, amount: number) => retryOnNetwork(() => callFunction('staff', 'quotePurchase', { counterToken, amount })),
  memberCoupons: (counterToken: string) => retryOnNetwork(() => callFunction('staff', 'memberCoupons', { counterToken })),
  /** 核销券码: the coupon's own code, scanned or typed. */
  redeemCoupon: (couponCode: string, requestId: string) => retryOnNetwork(() => callFunction('staff', 'redeemCoupon', { couponCode, requestId })),
  /** 自提核销: hands over a pickup order by the member's pickup code. */
  previewPickup: (pickupCode: string) => retryOnNetwork(() => callFunction('staff', 'previewPickup', { pickupCode })),
  collectPickup: (pickupCode: string, requestId: string) => retryOnNetwork(() => callFunction('staff', 'collectPickup', { pickupCode, requestId })),
  refundPurchase: (input: ActionInput<'staff', 'refundPurchase'>) => retryOnNetwork(() => callFunction('staff', 'refundPurchase', input)),
  topup: (input: ActionInput<'staff', 'topup'>) => retryOnNetwork(() => callFunction('staff', 'topup', input)),
  /** Managers only (the server checks the role). */
  adjustPoints: (input: ActionInput<'staff', 'adjustPoints'>) => retryOnNetwork(() => callFunction('staff', 'adjustPoints', input)),
  cardService: (input: ActionInput<'staff', 'cardService'>) => retryOnNetwork(() => callFunction('staff', 'cardService', input)),
  /** `day` YYYY-MM-DD; today when omitted. */
  counterLog: (day?: string) => retryOnNetwork(() => callFunction('staff', 'counterLog', day ? { day } : {})),
}
