/**
 * The one map from order kind to what follows its payment, cancellation and refund. It spans
 * contexts (coupons, promo), so it lives above them and only the function entry points import
 * it and pass it into orders, mall and the sweeper. `Record<OrderKind, OrderHandlers>`: a new
 * kind that forgets a handler does not typecheck.
 */
import type { OrderRecord } from '../../domain/orders'
import { issueOrderCoupons } from '../coupons'
import type { OrderKinds } from '../orders'
import { giveSeatBack, onGroupOrderPaid } from '../promo'

const nothing = async (): Promise<void> => {}

export const ORDER_KINDS: OrderKinds = {
  mall: { paid: issueOrderCoupons, cancelled: nothing, refunded: nothing },
  flash: { paid: issueOrderCoupons, cancelled: nothing, refunded: nothing },
  groupbuy: {
    // a group order counts its paid seat (the leader's payment opens the group, the last completes it)
    paid: async (order: OrderRecord, now: Date) => {
      await issueOrderCoupons(order, now)
      await onGroupOrderPaid(order, now)
    },
    // a group order closed unpaid gives its seat back; a refunded one is closed with its group
    cancelled: async (order: OrderRecord, now: Date) => {
      if (order.groupId) await giveSeatBack(order, now)
    },
    refunded: nothing,
  },
}
