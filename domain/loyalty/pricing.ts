/**
 * Checkout arithmetic, defined once. Money is integer fen; rates are decimals from
 * configuration, turned into integer thousandths so no floating point touches money.
 *   payable  = ⌊list × discountPercent / 100⌋          (the member never pays a fraction of a fen more)
 *   points   = ⌊payable/100 × pointsPerYuan × tier multiplier⌋
 *   growth   = ⌊payable/100 × growthPerYuan⌋
 */
import { couponDiscount, type CouponTemplate } from '../coupons'

function thousandths(rate: number): bigint {
  if (!Number.isFinite(rate) || rate < 0) throw new Error(`bad rate ${rate}`)
  return BigInt(Math.round(rate * 1000))
}

function assertFen(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`amounts are non-negative integer fen, got ${amount}`)
}

export function payableAmount(listAmount: number, discountPercent: number): number {
  assertFen(listAmount)
  if (!Number.isInteger(discountPercent) || discountPercent < 1 || discountPercent > 100) throw new Error(`bad discount ${discountPercent}`)
  return Number((BigInt(listAmount) * BigInt(discountPercent)) / 100n)
}

export function purchasePoints(payable: number, pointsPerYuan: number, multiplier: number): number {
  assertFen(payable)
  return Number((BigInt(payable) * thousandths(pointsPerYuan) * thousandths(multiplier)) / 100_000_000n)
}

export function purchaseGrowth(payable: number, growthPerYuan: number): number {
  assertFen(payable)
  return Number((BigInt(payable) * thousandths(growthPerYuan)) / 100_000n)
}

export interface PurchaseQuote {
  listAmount: number
  discountPercent: number
  /** tier discount plus coupon discount */
  discount: number
  couponDiscount: number
  payable: number
  points: number
  growth: number
}

/** The tier discount first, then the coupon on what is left; points and growth on what is paid. */
export function quotePurchase(
  listAmount: number,
  tier: { discountPercent: number; pointsMultiplier: number },
  rates: { pointsPerYuan: number; growthPerYuan: number },
  coupon?: Pick<CouponTemplate, 'kind' | 'value' | 'threshold'>,
): PurchaseQuote {
  const afterTier = payableAmount(listAmount, tier.discountPercent)
  const couponOff = coupon ? couponDiscount(coupon, afterTier) : 0
  const payable = afterTier - couponOff
  return {
    listAmount,
    discountPercent: tier.discountPercent,
    discount: listAmount - payable,
    couponDiscount: couponOff,
    payable,
    points: purchasePoints(payable, rates.pointsPerYuan, tier.pointsMultiplier),
    growth: purchaseGrowth(payable, rates.growthPerYuan),
  }
}
