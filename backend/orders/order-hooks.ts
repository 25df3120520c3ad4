/**
 * What happens once an order is paid, whichever way it was paid (stored value now, or WeChat
 * Pay's notification later): a points-mall coupon product issues its coupon; a group-buy order
 * counts its paid seat (the leader's payment opens the group, the last one completes it). Each
 * step is idempotent, so a duplicate notification changes nothing.
 */
import { createHash } from 'node:crypto'
import type { OrderRecord } from '../../domain/orders/order'
import { claimCoupon, findTemplate } from '../coupons/coupons'
import { onGroupOrderPaid } from '../promo/group-buy'

export async function afterOrderPaid(order: OrderRecord, now: Date): Promise<void> {
  if (order.issuesCouponTemplateId) {
    const template = await findTemplate(order.issuesCouponTemplateId)
    for (let unit = 1; unit <= order.quantity; unit++) {
      const requestId = `mall-${createHash('sha256').update(order._id).digest('hex').slice(0, 24)}-${unit}`
      await claimCoupon({ template, memberId: order.memberId, source: 'mall', requestId, now })
    }
  }
  if (order.kind === 'groupbuy') await onGroupOrderPaid(order, now)
}
