import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { memberIdFor } from '../../../domain/membership'
import { groupNotFormed, type OrderRecord } from '../../../domain/orders'
import { issueScanCode } from '../../../backend/platform/scan-codes'
import { defineFunction, requireMember } from '../../../backend/platform/handler'
import { ORDER_KINDS } from '../../../backend/compositions/order-kinds'
import { afterPaid, cancelledBy, closeOrder, memberOrders, ownOrder, payFromLedger, payWithWechat, toOrderView } from '../../../backend/orders'

const afterOrderPaid = afterPaid(ORDER_KINDS)

type Results = ActionResults['order']

/** What a member may undo themself: unpaid orders, and paid pickup orders not yet collected. */
function memberMayClose(order: OrderRecord): boolean {
  if (order.status === 'created') return true
  return order.status === 'paid' && order.kind === 'mall' && order.fulfilment?.type === 'pickup' && !order.fulfilment.collectedAt
}

export const main = defineFunction('order', {
  async list({ status, kind }, { caller }): Promise<Results['list']> {
    const orders = await memberOrders(memberIdFor(requireMember(caller)), status, kind)
    return { orders: await Promise.all(orders.map((order) => toOrderView(order))) }
  },

  async detail({ orderId }, { caller }): Promise<Results['detail']> {
    return { order: await toOrderView(await ownOrder(orderId, memberIdFor(requireMember(caller)))) }
  },

  /**
   * Pays an unpaid order by stored value (closing a WeChat Pay payment in progress first), or
   * starts WeChat Pay. A paid order answers as paid; a retry of a request that started WeChat Pay
   * is answered as that request, whatever method it names now.
   */
  async pay({ orderId, method, payPassword, requestId }, { caller, now }): Promise<Results['pay']> {
    const openid = requireMember(caller)
    const order = await ownOrder(orderId, memberIdFor(openid))
    if (method === 'wechat' || order.payRequests?.includes(requestId)) {
      if (order.status !== 'created') return { order: await toOrderView(order), payment: null }
      const started = await payWithWechat(order, openid, now, requestId)
      return { order: await toOrderView(started.order), payment: started.payment }
    }
    return { order: await toOrderView(await payFromLedger(order, 'balance', now, afterOrderPaid, payPassword)), payment: null }
  },

  /** 取消订单: before payment, or before pickup; points, money and stock come back. */
  async cancel({ orderId, requestId }, { caller, now }): Promise<Results['cancel']> {
    const memberId = memberIdFor(requireMember(caller))
    // The same request again, even naming another order, is answered as the first: nothing else is closed.
    const earlier = await cancelledBy(memberId, requestId)
    if (earlier) return { order: await toOrderView(earlier) }
    const order = await ownOrder(orderId, memberId)
    if (order.status === 'cancelled' || order.status === 'refunded') return { order: await toOrderView(order) }
    if (!memberMayClose(order)) throw new AppError('ORDER_NOT_CANCELLABLE', '该订单已不能取消，请联系门店')
    return { order: await toOrderView(await closeOrder(order, '会员取消', memberId, now, { cancelRequestId: requestId })) }
  },

  /** The code a clerk scans to hand over a pickup order. */
  async pickupCode({ orderId }, { caller, now }): Promise<Results['pickupCode']> {
    const order = await ownOrder(orderId, memberIdFor(requireMember(caller)))
    if (order.fulfilment?.type !== 'pickup') throw new AppError('NOT_PICKUP_ORDER', '该订单不是门店自提')
    if (order.status !== 'paid') throw order.status === 'fulfilled' ? new AppError('ALREADY_PICKED_UP', '订单已提货') : new AppError('ORDER_NOT_PAID', '订单未支付')
    const waiting = groupNotFormed(order, 'pickup')
    if (waiting) throw waiting
    return issueScanCode('pickup', order._id, now)
  },
})
