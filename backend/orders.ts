/**
 * Orders of the points mall, flash sales and group-buys: created with their stock already taken,
 * paid by points, stored value or WeChat Pay, moved through the state machine of domain/order.ts
 * with conditional updates (each transition has one winner, logged on the order), and their stock
 * given back exactly once when they are cancelled, released unpaid or refunded.
 */
import { createHash } from 'node:crypto'
import type { OrderStatus, OrderView, PaymentParams } from '../domain/contract'
import { AppError } from '../domain/errors'
import type { LedgerEntry } from '../domain/ledger'
import { assertTransition, orderPaymentEntryId, orderRefundEntryId, type OrderRecord } from '../domain/order'
import { businessDay } from '../domain/time'
import { database, isDuplicateKey } from './cloud'
import { loyaltyConfig } from './config-store'
import { postEntry } from './ledger'
import { findMember } from './members'
import { refundPayment, unifiedOrder, type PayNotification } from './payment'
import { afterOrderPaid } from './order-hooks'
import { storeName } from './stores'

const orders = () => database().collection('orders')

export async function findOrder(orderId: string): Promise<OrderRecord | null> {
  const { data } = await orders().doc(orderId).get()
  return (data[0] as OrderRecord | undefined) ?? null
}

export async function ownOrder(orderId: string, memberId: string): Promise<OrderRecord> {
  const order = await findOrder(orderId)
  if (!order || order.memberId !== memberId) throw new AppError('NOT_FOUND', '未找到该订单')
  return order
}

/** WeChat Pay's out_trade_no (≤ 32 characters) for an order id of any length. */
export function outTradeNoFor(orderId: string): string {
  return `OD${createHash('sha256').update(orderId).digest('hex').slice(0, 28)}`
}

/** Inserts a new order; the same id again (a retried request) returns the order already there. */
export async function createOrder(order: OrderRecord): Promise<{ order: OrderRecord; created: boolean }> {
  try {
    await orders().add(order)
    return { order, created: true }
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return { order: (await findOrder(order._id)) as OrderRecord, created: false }
  }
}

/**
 * Moves an order from the status it was read in to `to`, logging the transition. Returns the
 * updated order, or null when another caller moved it first (re-read to see where it went).
 */
export async function transition(order: OrderRecord, to: OrderStatus, reason: string, by: string, now: Date, set: Record<string, unknown> = {}): Promise<OrderRecord | null> {
  assertTransition(order.status, to)
  const { doc } = (await orders()
    .where({ _id: order._id, status: order.status })
    .updateAndReturn({ ...set, status: to, transitions: database().command.push({ each: [{ from: order.status, to, at: now, reason, by }] }) })) as { doc?: OrderRecord }
  return doc ?? null
}

/** Gives the order's units back to their stock, exactly once whoever asks. */
export async function releaseStock(order: OrderRecord, now: Date): Promise<void> {
  if (!order.stock) return
  const { updated } = await orders().where({ _id: order._id, stockReleasedAt: null }).update({ stockReleasedAt: now })
  if (updated !== 1) return
  const { collection, id, quantity } = order.stock
  const _ = database().command
  await database()
    .collection(collection)
    .doc(id)
    .update({ stock: _.inc(quantity), sold: _.inc(-quantity) })
}

/** The ledger part of paying an order: its points, and its cash when paid from stored value. */
async function paymentEntry(order: OrderRecord, now: Date): Promise<LedgerEntry> {
  const { brand } = await loyaltyConfig()
  return {
    _id: orderPaymentEntryId(order._id),
    memberId: order.memberId,
    kind: 'order',
    points: -order.points,
    balance: order.payMethod === 'balance' ? -order.amount : 0,
    growth: 0,
    requestId: order.requestId,
    businessDay: businessDay(now, brand.timeZone),
    createdAt: now,
    description: order.title,
    detail: { orderId: order._id, kind: order.kind },
  }
}

/** Gives back exactly what the order took from the ledger, if anything; once. */
async function refundLedgerPayment(order: OrderRecord, reason: string, now: Date): Promise<void> {
  // The payment may still be only in the member's outbox (a crash before its ledger copy).
  const member = await findMember(order.memberId)
  const id = orderPaymentEntryId(order._id)
  let paid = member?.outbox?.[id]
  if (!paid) {
    const { data } = await database().collection('ledger').doc(id).get()
    paid = data[0] as LedgerEntry | undefined
  }
  if (!paid) return
  const { brand } = await loyaltyConfig()
  await postEntry(
    {
      ...paid,
      _id: orderRefundEntryId(order._id),
      kind: 'order-refund',
      points: -paid.points,
      balance: -paid.balance,
      growth: -paid.growth,
      businessDay: businessDay(now, brand.timeZone),
      createdAt: now,
      description: `${reason}：${order.title}`,
    },
    { allowInactive: true },
  )
}

export type PaidHook = (order: OrderRecord, now: Date) => Promise<void>

/**
 * Pays an order from the ledger — its points, and its cash from stored value when paid by
 * balance — then marks it paid. If the order was closed meanwhile, what was taken goes back.
 */
export async function payFromLedger(order: OrderRecord, method: 'points' | 'balance', now: Date, afterPaid?: PaidHook): Promise<OrderRecord> {
  if (order.status === 'paid' || order.status === 'fulfilled') return order
  assertTransition(order.status, 'paid')
  if (method === 'points' && order.amount > 0) throw new AppError('FAILED_PRECONDITION', '该订单需要支付现金部分')
  await postEntry(await paymentEntry({ ...order, payMethod: method }, now))
  const paid = await transition(order, 'paid', method === 'points' ? '积分支付' : '储值支付', order.memberId, now, { payMethod: method })
  const current = paid ?? (await findOrder(order._id))
  if (!current) throw new Error(`order ${order._id} vanished`)
  if (current.status === 'cancelled') {
    await refundLedgerPayment(current, '订单已关闭，退回', now)
    throw new AppError('FAILED_PRECONDITION', '订单已超时关闭，款项已退回')
  }
  if (paid && afterPaid) await afterPaid(paid, now)
  return current
}

/**
 * Starts a WeChat Pay payment of an order's cash part (its points, if any, are taken from the
 * ledger first); WeChat Pay's notification then marks it paid. Returns the order as it now is
 * (with its out_trade_no) and the parameters for the wallet.
 */
export async function payWithWechat(order: OrderRecord, openid: string, now: Date): Promise<{ order: OrderRecord; payment: PaymentParams }> {
  assertTransition(order.status, 'paid')
  if (order.payBy && now >= new Date(order.payBy)) throw new AppError('FAILED_PRECONDITION', '订单已超时，请重新下单')
  const outTradeNo = order.outTradeNo ?? outTradeNoFor(order._id)
  if (!order.outTradeNo) await orders().where({ _id: order._id, outTradeNo: null }).update({ outTradeNo, payMethod: 'wechat' })
  const started: OrderRecord = order.outTradeNo ? order : { ...order, outTradeNo, payMethod: 'wechat' }
  if (order.points > 0) await postEntry(await paymentEntry({ ...order, payMethod: 'wechat' }, now))
  const payment = await unifiedOrder({ outTradeNo, totalFee: order.amount, body: order.title, openid, functionName: 'payment' })
  return { order: started, payment }
}

/**
 * Closes an order: unpaid (created) orders are cancelled, paid or fulfilled ones refunded. What
 * the order took from the ledger comes back, WeChat Pay money is refunded through the port, and
 * the stock goes back. Each step happens once, however often or concurrently this is called.
 */
export async function closeOrder(order: OrderRecord, reason: string, by: string, now: Date): Promise<OrderRecord> {
  const to: OrderStatus = order.status === 'created' ? 'cancelled' : 'refunded'
  const moved = await transition(order, to, reason, by, now)
  const current = moved ?? (await findOrder(order._id))
  if (!current) throw new Error(`order ${order._id} vanished`)
  if (!moved && current.status !== to) throw new AppError('FAILED_PRECONDITION', `订单状态已变化，请刷新后再试`)
  await refundLedgerPayment(current, reason, now)
  if (to === 'refunded' && current.payMethod === 'wechat' && current.amount > 0) await refundWechat(current)
  await releaseStock(current, now)
  return current
}

/**
 * WeChat Pay's notification for an order (out_trade_no `OD…`): success marks a created order paid
 * (once, however many notifications arrive); a payment that arrives after the order was closed
 * is refunded, not fulfilled. Returns what WeChat Pay expects back.
 */
export async function onOrderPayment(note: PayNotification, now: Date): Promise<{ errcode: number; errmsg: string }> {
  const { data } = await orders().where({ outTradeNo: note.outTradeNo }).limit(1).get()
  const order = data[0] as OrderRecord | undefined
  if (!order) return { errcode: 1, errmsg: 'unknown order' }
  if (note.totalFee !== order.amount) return { errcode: 1, errmsg: `amount ${note.totalFee} is not the order's ${order.amount}` }
  if (note.returnCode !== 'SUCCESS' || note.resultCode !== 'SUCCESS') return { errcode: 0, errmsg: 'OK' }
  if (order.status === 'created') {
    const paid = await transition(order, 'paid', '微信支付', 'wechatpay', now, { transactionId: note.transactionId ?? null })
    if (paid) await afterOrderPaid(paid, now)
    const current = paid ?? (await findOrder(order._id))
    if (current?.status !== 'cancelled') return { errcode: 0, errmsg: 'OK' }
  }
  const current = (await findOrder(order._id)) as OrderRecord
  if (current.status === 'cancelled') {
    await refundPayment({ outTradeNo: note.outTradeNo, outRefundNo: `L${note.outTradeNo}`.slice(0, 64), totalFee: note.totalFee, refundFee: note.totalFee })
    await orders().where({ _id: order._id, latePaymentRefundedAt: null }).update({ latePaymentRefundedAt: now })
  }
  return { errcode: 0, errmsg: 'OK' }
}

async function refundWechat(order: OrderRecord): Promise<void> {
  if (!order.outTradeNo) return
  await refundPayment({ outTradeNo: order.outTradeNo, outRefundNo: `R${order.outTradeNo}`.slice(0, 64), totalFee: order.amount, refundFee: order.amount })
}

export async function toOrderView(order: OrderRecord): Promise<OrderView> {
  const fulfilment = order.fulfilment
  return {
    orderId: order._id,
    kind: order.kind,
    status: order.status,
    title: order.title,
    quantity: order.quantity,
    points: order.points,
    amount: order.amount,
    payMethod: order.payMethod,
    payBy: order.status === 'created' && order.payBy ? new Date(order.payBy).toISOString() : null,
    fulfilment:
      fulfilment?.type === 'pickup'
        ? { type: 'pickup', storeId: fulfilment.storeId, storeName: await storeName(fulfilment.storeId), collectedAt: fulfilment.collectedAt ? new Date(fulfilment.collectedAt).toISOString() : null }
        : fulfilment?.type === 'delivery'
          ? { type: 'delivery', address: fulfilment.address, carrier: fulfilment.carrier, trackingNo: fulfilment.trackingNo, shippedAt: fulfilment.shippedAt ? new Date(fulfilment.shippedAt).toISOString() : null }
          : null,
    groupId: order.groupId,
    outTradeNo: order.outTradeNo ?? null,
    createdAt: new Date(order.createdAt).toISOString(),
    transitions: order.transitions.map((step) => ({ from: step.from, to: step.to, at: new Date(step.at).toISOString(), reason: step.reason })),
  }
}
