/**
 * A paid order of a points-mall coupon product issues its coupons (one per unit), with request
 * ids derived from the order: a duplicate notification or a second sweep issues nothing new.
 */
import { createHash } from 'node:crypto'
import { claimCoupon, findTemplate } from './coupons'

/** What an order that issues coupons says about them (an order record has these fields). */
export interface CouponOrder {
  _id: string
  memberId: string
  quantity: number
  issuesCouponTemplateId: string | null
}

export async function issueOrderCoupons(order: CouponOrder, now: Date): Promise<void> {
  if (!order.issuesCouponTemplateId) return
  const template = await findTemplate(order.issuesCouponTemplateId)
  for (let unit = 1; unit <= order.quantity; unit++) {
    const requestId = `mall-${createHash('sha256').update(order._id).digest('hex').slice(0, 24)}-${unit}`
    await claimCoupon({ template, memberId: order.memberId, source: 'mall', requestId, now })
  }
}
