/**
 * markShipped: head office ships a delivery order (points mall, flash sale, or a group-buy once its group is formed) (paid → fulfilled) with the
 * carrier and tracking number, through the order store's logged, status-guarded transition.
 * Marking the same shipment again answers the order as it is.
 */
import type { OrderView } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { groupNotFormed, type OrderRecord } from '../../../domain/orders'
import { findOrder, toOrderView, transition } from '../../../backend/orders'

function shippedAs(order: OrderRecord | null, trackingNo: string): boolean {
  return order?.status === 'fulfilled' && order.fulfilment?.type === 'delivery' && order.fulfilment.trackingNo === trackingNo
}

export async function markShipped(input: { orderId: string; carrier: string; trackingNo: string }, by: string, now: Date): Promise<{ order: OrderView }> {
  const { orderId, carrier, trackingNo } = input
  const order = await findOrder(orderId)
  if (!order) throw new AppError('ORDER_NOT_FOUND', '未找到该订单')
  if (order.fulfilment?.type !== 'delivery') throw new AppError('NOT_DELIVERY_ORDER', '该订单不是快递配送订单')
  if (shippedAs(order, trackingNo)) return { order: await toOrderView(order) }
  const waiting = groupNotFormed(order, 'delivery')
  if (waiting) throw waiting
  const shipped = await transition(order, 'fulfilled', `已发货：${carrier} ${trackingNo}`, by, now, {
    'fulfilment.carrier': carrier,
    'fulfilment.trackingNo': trackingNo,
    'fulfilment.shippedAt': now,
  })
  const current = shipped ?? (await findOrder(orderId))
  if (!shippedAs(current, trackingNo)) throw new AppError('ORDER_STATE_CHANGED', '订单状态已变化，请刷新后再试')
  return { order: await toOrderView(current as OrderRecord) }
}
