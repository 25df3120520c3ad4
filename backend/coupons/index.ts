/** The coupons context's persistence and orchestration as other contexts and the entry points use them. */
export { couponRemindersJob, reminderPrefixes } from './coupon-reminders'
export { claimCoupon, claimedBefore, findCoupon, findTemplate, giveCoupon, markUseChecked, restoreCoupon, unusedCouponCount, usableCoupons, useCoupon } from './coupons'
export { issueOrderCoupons } from './order-coupons'
export { claimableTemplates, claimedCounts, findShare, holdsOwnCopy, openShare, returnShareClaim, shareView, takeShareClaim, walletCoupons, type ShareRecord } from './shares'
export { welcomeGiftFollower } from './welcome-gift'
