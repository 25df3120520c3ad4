/**
 * Orders of the points mall, flash sales and group-buys share one explicit state machine:
 *   created → paid → fulfilled        created → cancelled (by the member, or unpaid for 15 min)
 *   paid → refunded (cancel before pickup, failed group, late payment)   fulfilled → refunded
 * Every transition is logged on the order; an illegal one is FAILED_PRECONDITION.
 */
import type { LedgerEntry } from '../shared/ledger-entry'
import type { OrderKind, OrderPayMethod, OrderStage, OrderStatus } from '../contract/trade'
import { AppError } from '../shared/errors'
import { fact, type AnyFact } from '../shared/events'

export const UNPAID_ORDER_TTL_MS = 15 * 60_000

const NEXT: Record<OrderStatus, OrderStatus[]> = {
  created: ['paid', 'cancelled'],
  paid: ['fulfilled', 'refunded'],
  fulfilled: ['refunded'],
  cancelled: [],
  refunded: [],
}

const STATUS_TEXT: Record<OrderStatus, string> = {
  created: '待付款',
  paid: '已付款',
  fulfilled: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
}

/**
 * Where an order stands for the member and the clerk: its status read with how the goods reach the
 * member. A paid order waits for its group (group-buys), its pickup or its shipment; a shipped one
 * reads 已发货 for SHIPPED_SHOWN_MS, then 已完成.
 */
export const ORDER_STAGE_TEXT: Record<OrderStage, string> = {
  unpaid: '待付款',
  grouping: '待成团',
  pickup: '待自提',
  shipping: '待发货',
  shipped: '已发货',
  done: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
}

const SHIPPED_SHOWN_MS = 7 * 86_400_000

export function orderStage(order: Pick<OrderRecord, 'status' | 'kind' | 'fulfilment'>, groupFormed: boolean, now: Date): OrderStage {
  const fulfilment = order.fulfilment
  switch (order.status) {
    case 'created':
      return 'unpaid'
    case 'cancelled':
    case 'refunded':
      return order.status
    case 'paid':
      if (order.kind === 'groupbuy' && !groupFormed) return 'grouping'
      return fulfilment?.type === 'pickup' ? 'pickup' : 'shipping'
    case 'fulfilled':
      if (fulfilment?.type === 'delivery' && fulfilment.shippedAt && now.getTime() - new Date(fulfilment.shippedAt).getTime() < SHIPPED_SHOWN_MS) return 'shipped'
      return 'done'
  }
}

/** A group-buy's goods are handed over (picked up at the store, shipped) only once its group is formed. */
export function groupNotFormed(order: Pick<OrderRecord, 'kind' | 'groupFormedAt'>, handOver: 'pickup' | 'delivery'): AppError | null {
  if (order.kind !== 'groupbuy' || order.groupFormedAt) return null
  return new AppError('GROUP_NOT_FORMED', handOver === 'pickup' ? '拼团成功后才能提货' : '拼团成功后才能发货')
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to)
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new AppError('ORDER_TRANSITION_INVALID', `订单${STATUS_TEXT[from]}，不能变为${STATUS_TEXT[to]}`)
}

/** Which states may move to `to` (for a conditional update guarded by the current status). */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return (Object.keys(NEXT) as OrderStatus[]).filter((from) => NEXT[from].includes(to))
}

export interface OrderTransition {
  from: OrderStatus | null
  to: OrderStatus
  at: Date
  reason: string
  by: string
}

/** Where an order's units came from, so a cancellation can put them back. */
export interface StockRef {
  collection: 'products' | 'flash_sales' | 'group_campaigns'
  id: string
  quantity: number
}

export interface OrderRecord {
  _id: string
  kind: OrderKind
  memberId: string
  status: OrderStatus
  title: string
  quantity: number
  /** points part of the price */
  points: number
  /** cash part, fen */
  amount: number
  payMethod: OrderPayMethod | null
  payBy: Date | null
  stock: StockRef | null
  /** set once the units went back to stock (released exactly once) */
  stockReleasedAt: Date | null
  fulfilment:
    | { type: 'pickup'; storeId: string; collectedAt: Date | null; staffId: string | null }
    | { type: 'delivery'; address: string; carrier: string | null; trackingNo: string | null; shippedAt: Date | null }
    | null
  /** a coupon the order issues when paid (points mall coupon products) */
  issuesCouponTemplateId: string | null
  groupId: string | null
  /** set on a group-buy's orders when the group is formed */
  groupFormedAt?: Date
  requestId: string
  createdAt: Date
  transitions: OrderTransition[]
  /** WeChat Pay: the out_trade_no of the payment in progress, sent to the payment port */
  outTradeNo: string | null
  /** WeChat Pay orders closed before another method paid (no payment of them can be made any more) */
  closedOutTradeNos?: string[]
  /** the out_trade_no whose payment paid the order (set by its notification) */
  paidOutTradeNo?: string | null
  /** order.pay request ids that started WeChat Pay (a retry of one with another method is answered as the first) */
  payRequests?: string[]
  /** payments that arrived for an order already paid or closed, each refunded once */
  latePaymentRefunds?: string[]
}

/**
 * The ledger entries that pay an order, each with the one that gives it back: the points part
 * (taken when the order is paid, or when WeChat Pay starts for its cash part), and the cash part
 * when stored value pays it. Separate ids, so that whichever method pays the cash, it is charged
 * once, and each part is given back once. (Orders paid before the split have one `order-pay`
 * entry holding both parts; its refund gives back what it holds.)
 */
export function orderPaymentEntryId(orderId: string): string {
  return `order-pay:${orderId}`
}

export function orderRefundEntryId(orderId: string): string {
  return `order-refund:${orderId}`
}

export function orderCashEntryId(orderId: string): string {
  return `order-cash:${orderId}`
}

export function orderCashRefundEntryId(orderId: string): string {
  return `order-cash-refund:${orderId}`
}

export function orderStatusText(status: OrderStatus): string {
  return STATUS_TEXT[status]
}

export interface NewOrder {
  id: string
  kind: OrderRecord['kind']
  memberId: string
  title: string
  quantity: number
  points: number
  amount: number
  stock: StockRef
  /** the reason logged on the first transition, e.g. 秒杀下单 */
  reason: string
  requestId: string
  now: Date
  fulfilment?: OrderRecord['fulfilment']
  issuesCouponTemplateId?: string | null
  groupId?: string | null
}

/** A new unpaid order holding its units, to be paid within 15 minutes. */
export function newOrder(order: NewOrder): OrderRecord {
  const { now } = order
  return {
    _id: order.id,
    kind: order.kind,
    memberId: order.memberId,
    status: 'created',
    title: order.title,
    quantity: order.quantity,
    points: order.points,
    amount: order.amount,
    payMethod: null,
    payBy: new Date(now.getTime() + UNPAID_ORDER_TTL_MS),
    stock: order.stock,
    stockReleasedAt: null,
    fulfilment: order.fulfilment ?? null,
    issuesCouponTemplateId: order.issuesCouponTemplateId ?? null,
    groupId: order.groupId ?? null,
    requestId: order.requestId,
    createdAt: now,
    transitions: [{ from: null, to: 'created', at: now, reason: order.reason, by: order.memberId }],
    outTradeNo: null,
  }
}

/**
 * Whether the order's payment entries paid all of it: its points part (`order-pay`), and its cash
 * part from stored value (`order-cash`; in orders paid before the split, held by `order-pay`). A
 * WeChat order's entries hold only its points part.
 */
export function entriesCoverOrder(
  entries: { points?: Pick<LedgerEntry, 'points' | 'balance'>; cash?: Pick<LedgerEntry, 'points' | 'balance'> },
  order: Pick<OrderRecord, 'points' | 'amount'>,
): boolean {
  const pointsPaid = order.points === 0 || -(entries.points?.points ?? 0) === order.points
  const cashPaid = order.amount === 0 || -(entries.cash?.balance ?? 0) === order.amount || -(entries.points?.balance ?? 0) === order.amount
  return pointsPaid && cashPaid && (entries.points !== undefined || entries.cash !== undefined)
}

/** The fact an order's move to `to` makes true, for followers (domain/shared/events.ts): paid and refunded are followed. */
export function orderFact(order: OrderRecord, to: OrderStatus, payMethod: string | null, now: Date): AnyFact | null {
  const base = { memberId: order.memberId, orderId: order._id, kind: order.kind, amount: order.amount, points: order.points }
  if (to === 'paid') return fact('order_paid', order._id, now, { ...base, payMethod: payMethod ?? order.payMethod ?? 'points' })
  if (to === 'refunded') return fact('order_refunded', order._id, now, base)
  return null
}
