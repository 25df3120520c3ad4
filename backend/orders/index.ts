/** The orders context's persistence and orchestration as other contexts and the entry points use them. */
export { afterPaid, type OrderKinds } from './kinds'
export { cancelledBy, closeOrder, createOrder, findOrder, markGroupFormed, memberOrders, onOrderPayment, ownOrder, payFromLedger, payWithWechat, toOrderView, transition, unlistOrder } from './orders'
export { releaseUnpaidOrder, type ReleaseOutcome } from './release'
