import type { CouponStatus } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'

/** 优惠券 and 朋友券. Claims carry one requestId per intent (see intent.ts): a retry claims once. */
export const couponService = {
  /** 领券中心: the templates this member may claim now, with how many they hold. */
  centre: () => retryOnNetwork(() => callFunction('coupon', 'centre', {})),
  claim: (templateId: string, requestId: string) => retryOnNetwork(() => callFunction('coupon', 'claim', { templateId, requestId })),
  /** 我的优惠券, one tab at a time. */
  wallet: (status: CouponStatus) => retryOnNetwork(() => callFunction('coupon', 'wallet', { status })),
  /** The coupon's own short-lived code (QR) for the clerk's 核销. */
  code: (couponId: string) => retryOnNetwork(() => callFunction('coupon', 'code', { couponId })),
  codeStatus: (couponId: string) => callFunction('coupon', 'codeStatus', { couponId }),
  /** The share card of a friend coupon the member holds (the same share every time). */
  shareFriendCoupon: (templateId: string) => retryOnNetwork(() => callFunction('coupon', 'shareFriendCoupon', { templateId })),
  /** What a friend sees when opening the share. */
  friendShare: (shareId: string) => retryOnNetwork(() => callFunction('coupon', 'friendShare', { shareId })),
  claimFriendCoupon: (shareId: string, requestId: string) => retryOnNetwork(() => callFunction('coupon', 'claimFriendCoupon', { shareId, requestId })),
}
