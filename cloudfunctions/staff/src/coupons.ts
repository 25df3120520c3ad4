/** 核销 at the counter: the member's usable coupons, and redeeming a coupon by its own code. */
import type { ActionResults, ParsedInput } from '../../../domain/contract'
import { toCouponView } from '../../../domain/coupons'
import { AppError } from '../../../domain/shared/errors'
import { readScanCode } from '../../../backend/platform/scan-codes'
import { findCoupon, usableCoupons, useCoupon } from '../../../backend/coupons'
import { inactiveCardError } from '../../../domain/membership'
import { findMember } from '../../../backend/membership'
import type { StaffRecord } from '../../../backend/platform/staff'
import { counterEntryId, counterMember, logCounterAction } from '../../../backend/loyalty'

type Results = ActionResults['staff']

export async function memberCoupons({ counterToken }: ParsedInput<'staff', 'memberCoupons'>, staff: StaffRecord, now: Date): Promise<Results['memberCoupons']> {
  const member = await counterMember(counterToken, staff, now)
  return { coupons: (await usableCoupons(member._id, 'store', now)).map((coupon) => toCouponView(coupon, now)) }
}

/**
 * Two clerks scanning one coupon at the same moment: one redeems it, the other is refused.
 * The code is read in its canonical form (domain/shared/scan-code.ts); its use is remembered on the
 * coupon it names (status used, guarded), so `"code\n"` after `"code"` finds the coupon used.
 */
export async function redeemCoupon({ couponCode, requestId }: ParsedInput<'staff', 'redeemCoupon'>, staff: StaffRecord, now: Date): Promise<Results['redeemCoupon']> {
  const { subject } = await readScanCode('coupon', couponCode, staff, now)
  const coupon = await findCoupon(subject)
  if (!coupon) throw new AppError('COUPON_NOT_FOUND', '未找到这张优惠券')
  const member = await findMember(coupon.memberId)
  if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
  if (member.status !== 'active') throw inactiveCardError(member.status)
  if (!coupon.terms.usableIn.includes('store')) throw new AppError('COUPON_ONLINE_ONLY', '该优惠券仅限线上使用')
  const redemptionId = counterEntryId('redeem', staff, requestId)
  const used = await useCoupon(coupon._id, member._id, redemptionId, staff.storeId, now)
  await logCounterAction(redemptionId, staff, 'redeemCoupon', member, `核销：${used.terms.name}`, now)
  return { coupon: toCouponView(used, now), memberNo: member.memberNo }
}
