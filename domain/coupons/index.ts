/** The coupons context's pure rules as other contexts and the entry points use them. */
export { couponDiscount, couponRefusal, couponTemplateSchema, inAudience, isUsableAt, toCouponView, toTemplateView, type CouponTemplate } from './coupon'
