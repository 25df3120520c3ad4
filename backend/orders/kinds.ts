/**
 * What each kind of order does once it is paid, cancelled or refunded. The orders context knows
 * only this shape; the handlers live in the contexts that own each kind (mall, promo) and are
 * composed into one exhaustive map (backend/compositions/order-kinds.ts) that the function entry
 * points pass in: a new kind cannot be added without its three handlers. Each handler is
 * idempotent (a duplicate notification or a second sweep changes nothing).
 */
import type { OrderKind } from '../../domain/contract'
import type { OrderRecord } from '../../domain/orders/order'

export type { OrderKind }

export interface OrderHandlers {
  paid(order: OrderRecord, now: Date): Promise<void>
  cancelled(order: OrderRecord, now: Date): Promise<void>
  refunded(order: OrderRecord, now: Date): Promise<void>
}

export type OrderKinds = Record<OrderKind, OrderHandlers>

/** The paid step of an order's own kind. */
export function afterPaid(kinds: OrderKinds): (order: OrderRecord, now: Date) => Promise<void> {
  return (order, now) => kinds[order.kind].paid(order, now)
}
