/**
 * markShipped: head office ships a points-mall delivery order (paid → fulfilled) with the
 * carrier and tracking number, in one conditional update guarded by the order's status, logged
 * on the order. Marking the same shipment again answers the order as it is.
 */
import type { OrderView } from '../../../domain/contract'
import { AppError } from '../../../domain/errors'
import { assertTransition, type OrderRecord } from '../../../domain/order'
import { database } from '../../../backend/cloud'

const orders = () => database().collection('orders')

async function findOrder(orderId: string): Promise<OrderRecord | null> {
  const { data } = await orders().doc(orderId).get()
  return (data[0] as OrderRecord | undefined) ?? null
}

export async function markShipped(input: { orderId: string; carrier: string; trackingNo: string }, by: string, now: Date): Promise<{ order: OrderView }> {
  const { orderId, carrier, trackingNo } = input
  const order = await findOrder(orderId)
  if (!order) throw new AppError('NOT_FOUND', '未找到该订单')
  if (order.fulfilment?.type !== 'delivery') throw new AppError('FAILED_PRECONDITION', '该订单不是快递配送订单')
  if (order.status === 'fulfilled' && order.fulfilment.trackingNo === trackingNo) return { order: deliveryView(order) }
  assertTransition(order.status, 'fulfilled')
  const { doc } = (await orders()
    .where({ _id: orderId, status: order.status })
    .updateAndReturn({
      status: 'fulfilled',
      'fulfilment.carrier': carrier,
      'fulfilment.trackingNo': trackingNo,
      'fulfilment.shippedAt': now,
      transitions: database().command.push({ each: [{ from: order.status, to: 'fulfilled', at: now, reason: `已发货：${carrier} ${trackingNo}`, by }] }),
    })) as { doc?: OrderRecord }
  if (doc) return { order: deliveryView(doc) }
  const current = await findOrder(orderId)
  if (current?.status === 'fulfilled' && current.fulfilment?.type === 'delivery' && current.fulfilment.trackingNo === trackingNo) {
    return { order: deliveryView(current) }
  }
  throw new AppError('FAILED_PRECONDITION', '订单状态已变化，请刷新后再试')
}

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null)

function deliveryView(order: OrderRecord): OrderView {
  const fulfilment = order.fulfilment?.type === 'delivery' ? order.fulfilment : null
  return {
    orderId: order._id,
    kind: order.kind,
    status: order.status,
    title: order.title,
    quantity: order.quantity,
    points: order.points,
    amount: order.amount,
    payMethod: order.payMethod,
    payBy: iso(order.payBy),
    fulfilment: fulfilment
      ? { type: 'delivery', address: fulfilment.address, carrier: fulfilment.carrier, trackingNo: fulfilment.trackingNo, shippedAt: iso(fulfilment.shippedAt) }
      : null,
    groupId: order.groupId,
    createdAt: new Date(order.createdAt).toISOString(),
    transitions: order.transitions.map((change) => ({ from: change.from, to: change.to, at: new Date(change.at).toISOString(), reason: change.reason })),
  }
}
