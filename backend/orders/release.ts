/**
 * Unpaid orders (mall, flash, group-buy) still `created` after their `payBy` are closed with
 * closeOrder: the unit goes back to stock once, whatever took from the ledger comes back, and the
 * kind's `cancelled` handler runs (a group-buy order gives its seat back). If the order's payment
 * entries `order-pay:<id>` (points) and `order-cash:<id>` (stored value), in the ledger or still
 * only in the member's outbox, cover it, the member did pay and only the transition was lost: the
 * order is marked paid and its kind's `paid` handler runs, once.
 */
import { AppError } from '../../domain/shared/errors'
import { entriesCoverOrder, type OrderRecord } from '../../domain/orders/order'
import type { OrderKinds } from './kinds'
import { closeOrder, paymentEntriesOf, transition } from './orders'

export type ReleaseOutcome = 'released' | 'markedPaid' | 'skipped'

export async function releaseUnpaidOrder(order: OrderRecord, now: Date, kinds: OrderKinds): Promise<ReleaseOutcome> {
  const entries = await paymentEntriesOf(order)
  if (entriesCoverOrder(entries, order)) {
    const paidByBalance = (entries.cash?.balance ?? 0) < 0 || (entries.points?.balance ?? 0) < 0
    const paid = await transition(order, 'paid', '支付已完成，补记订单状态', 'system', now, { payMethod: paidByBalance ? 'balance' : 'points' })
    if (!paid) return 'skipped'
    await kinds[paid.kind].paid(paid, now)
    return 'markedPaid'
  }
  let closed: OrderRecord
  try {
    closed = await closeOrder(order, '超时未支付，订单已关闭', 'system', now)
  } catch (error) {
    // the order moved meanwhile, or contention: the next run looks again
    if (error instanceof AppError && (error.code === 'FAILED_PRECONDITION' || error.code === 'ABORTED')) return 'skipped'
    throw error
  }
  if (closed.status === 'cancelled') await kinds[order.kind].cancelled(order, now)
  // A concurrent run may have closed it first (closeOrder then only finished the steps).
  const mine = closed.transitions.some((step) => step.to === closed.status && step.by === 'system' && new Date(step.at).getTime() === now.getTime())
  return mine ? 'released' : 'skipped'
}
