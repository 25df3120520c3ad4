/**
 * Orders of the points mall, flash sales and group-buys: created with their stock already taken,
 * paid by points, stored value or WeChat Pay, moved through the state machine of domain/order.ts
 * with conditional updates (each transition has one winner, logged on the order), and their stock
 * given back exactly once when they are cancelled, released unpaid or refunded.
 */
import { createHash } from 'node:crypto'
import type { OrderStatus, OrderView, PaymentParams } from '../../domain/contract'
import { AppError } from '../../domain/shared/errors'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { assertTransition, orderCashEntryId, orderCashRefundEntryId, orderPaymentEntryId, orderRefundEntryId, orderFact, orderStage, type OrderRecord } from '../../domain/orders/order'
import { referenceNumber } from '../../domain/shared/reference-number'
import { businessDay } from '../../domain/shared/time'
import { businessNow } from '../platform/clock'
import { database, isDuplicateKey } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { carryFacts } from '../platform/events'
import { postEntry } from '../loyalty'
import { findMember, needsStoredValuePassword, requireStoredValueConsent, storeName } from '../membership'
import { AlreadyPaidError, closePayment, refundPayment, unifiedOrder, type PayNotification } from '../platform/payment'
import type { OrderKinds } from './kinds'

const orders = () => database().collection('orders')

export async function findOrder(orderId: string): Promise<OrderRecord | null> {
  const { data } = await orders().doc(orderId).get()
  return (data[0] as OrderRecord | undefined) ?? null
}

export async function ownOrder(orderId: string, memberId: string): Promise<OrderRecord> {
  const order = await findOrder(orderId)
  if (!order || order.memberId !== memberId) throw new AppError('ORDER_NOT_FOUND', '未找到该订单')
  return order
}

/**
 * WeChat Pay's out_trade_no (≤ 32 characters) for an order id of any length. An order gets a new
 * one each time WeChat Pay starts again after its earlier WeChat Pay order was closed (a closed
 * out_trade_no can never be paid, nor ordered again): `attempt` counts the closed ones.
 */
export function outTradeNoFor(orderId: string, attempt = 0): string {
  return `OD${createHash('sha256')
    .update(attempt === 0 ? orderId : `${orderId}#${attempt}`)
    .digest('hex')
    .slice(0, 28)}`
}

/** Our refund id of a payment that arrived for an order already paid (another way) or closed: one per payment. */
export function latePaymentRefundNo(outTradeNo: string): string {
  return `L${outTradeNo}`.slice(0, 64)
}

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
  const followed = orderFact(order, to, typeof set.payMethod === 'string' ? set.payMethod : null, now)
  const { doc } = (await orders()
    .where({ _id: order._id, status: order.status })
    .updateAndReturn({ ...set, ...(followed ? carryFacts(followed) : {}), status: to, transitions: database().command.push({ each: [{ from: order.status, to, at: now, reason, by }] }) })) as {
    doc?: OrderRecord
  }
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

/** The points part of paying an order (taken when it is paid, or when WeChat Pay starts for its cash part). */
async function pointsEntry(order: OrderRecord, now: Date): Promise<LedgerEntry> {
  const { brand } = await loyaltyConfig()
  return {
    _id: orderPaymentEntryId(order._id),
    memberId: order.memberId,
    kind: 'order',
    points: -order.points,
    balance: 0,
    growth: 0,
    requestId: order.requestId,
    businessDay: businessDay(now, brand.timeZone),
    createdAt: now,
    description: order.title,
    detail: { orderId: order._id, kind: order.kind, part: 'points' },
  }
}

/** The cash part of paying an order from stored value. */
async function cashEntry(order: OrderRecord, now: Date): Promise<LedgerEntry> {
  const { brand } = await loyaltyConfig()
  return {
    _id: orderCashEntryId(order._id),
    memberId: order.memberId,
    kind: 'order',
    points: 0,
    balance: -order.amount,
    growth: 0,
    requestId: order.requestId,
    businessDay: businessDay(now, brand.timeZone),
    createdAt: now,
    description: order.title,
    detail: { orderId: order._id, kind: order.kind, part: 'cash' },
  }
}

/** Each ledger entry that may have paid part of an order, with the id of the entry that gives it back. */
const PAYMENT_PARTS = [
  { paid: orderPaymentEntryId, refund: orderRefundEntryId },
  { paid: orderCashEntryId, refund: orderCashRefundEntryId },
] as const

/**
 * The entries that paid parts of the order, wherever they are: the member's outbox (a payment cut
 * short before its ledger copy) or the ledger. Keyed by part: `points` (which for orders paid
 * before the split may hold the cash part too) and `cash`.
 */
export async function paymentEntriesOf(order: Pick<OrderRecord, '_id' | 'memberId'>): Promise<{ points?: LedgerEntry; cash?: LedgerEntry }> {
  const ids = PAYMENT_PARTS.map((part) => part.paid(order._id))
  const _ = database().command
  const [member, { data }] = await Promise.all([
    findMember(order.memberId),
    database()
      .collection('ledger')
      .where({ _id: _.in(ids) })
      .limit(ids.length)
      .get(),
  ])
  const copied = new Map((data as LedgerEntry[]).map((entry) => [entry._id, entry]))
  const find = (id: string) => member?.outbox?.[id] ?? copied.get(id)
  return { points: find(ids[0]), cash: find(ids[1]) }
}

/** Gives back exactly what the order took from the ledger, each part once, whoever asks. */
async function refundLedgerPayment(order: OrderRecord, reason: string, now: Date): Promise<void> {
  const { points, cash } = await paymentEntriesOf(order)
  const { brand } = await loyaltyConfig()
  for (const [paid, refundId] of [
    [points, orderRefundEntryId(order._id)],
    [cash, orderCashRefundEntryId(order._id)],
  ] as const) {
    if (!paid) continue
    await postEntry(
      {
        ...paid,
        _id: refundId,
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
}

/**
 * Closes the order's WeChat Pay payment in progress, if any, so that no payment of it can be made
 * any more — before another method pays the order. A payment already made cannot be closed
 * (AlreadyPaidError: its notification pays the order). Returns the order as it now is.
 */
async function closeWechatPayment(order: OrderRecord): Promise<OrderRecord> {
  const outTradeNo = order.outTradeNo
  if (!outTradeNo) return order
  await closePayment({ outTradeNo })
  const _ = database().command
  await orders()
    .where({ _id: order._id, outTradeNo })
    .update({ outTradeNo: null, payMethod: null, closedOutTradeNos: _.push(outTradeNo) })
  return { ...order, outTradeNo: null, payMethod: null, closedOutTradeNos: [...(order.closedOutTradeNos ?? []), outTradeNo] }
}

export type PaidHook = (order: OrderRecord, now: Date) => Promise<void>

/** An unpaid order may be paid, by any method, until its payBy (15 minutes); from then on the minute timer releases it. */
function refuseIfPastPayBy(order: OrderRecord, now: Date): void {
  if (order.payBy && now >= new Date(order.payBy)) throw new AppError('ORDER_EXPIRED', '订单已超时，请重新下单')
}

/**
 * Online, the member consents to a payment from stored value above the brand's amount with the
 * 支付密码 — unless an earlier attempt of this payment already took the cash (with that consent)
 * and died before the order was marked paid.
 */
async function consentToCash(order: OrderRecord, payPassword: string | undefined): Promise<void> {
  if (!(await needsStoredValuePassword(order.amount))) return
  if ((await paymentEntriesOf(order)).cash) return
  await requireStoredValueConsent(order.memberId, payPassword)
}

/**
 * Pays an order from the ledger — its points, and its cash from stored value when paid by
 * balance — then marks it paid. A WeChat Pay payment in progress is closed first (one payment
 * per order); if it was already paid, nothing is taken (AlreadyPaidError). If the order was
 * closed meanwhile, what was taken goes back.
 */
export async function payFromLedger(order: OrderRecord, method: 'points' | 'balance', now: Date, afterPaid?: PaidHook, payPassword?: string): Promise<OrderRecord> {
  if (order.status === 'paid' || order.status === 'fulfilled') return order
  assertTransition(order.status, 'paid')
  refuseIfPastPayBy(order, now)
  if (method === 'points' && order.amount > 0) throw new AppError('CASH_PART_REQUIRED', '该订单需要支付现金部分')
  // consent first: a refused password takes nothing and leaves a WeChat payment in progress open
  if (method === 'balance' && order.amount > 0) await consentToCash(order, payPassword)
  const open = await closeWechatPayment(order)
  if (open.points > 0) await postEntry(await pointsEntry(open, now))
  if (method === 'balance' && open.amount > 0) await postEntry(await cashEntry(open, now))
  const paid = await transition(open, 'paid', method === 'points' ? '积分支付' : '储值支付', open.memberId, now, { payMethod: method })
  const current = paid ?? (await findOrder(order._id))
  if (!current) throw new Error(`order ${order._id} vanished`)
  if (current.status === 'cancelled') {
    await refundLedgerPayment(current, '订单已关闭，退回', now)
    throw new AppError('ORDER_CLOSED_REFUNDED', '订单已超时关闭，款项已退回')
  }
  if (paid && afterPaid) await afterPaid(paid, now)
  return current
}

/**
 * Starts a WeChat Pay payment of an order's cash part (its points, if any, are taken from the
 * ledger first); WeChat Pay's notification then marks it paid. Returns the order as it now is
 * (with its out_trade_no) and the parameters for the wallet — none when WeChat Pay says the
 * order is paid already (the notification is on its way). `requestId` (of order.pay) is
 * remembered, so a retry of it with another method is answered as this one.
 */
export async function payWithWechat(order: OrderRecord, openid: string, now: Date, requestId?: string): Promise<{ order: OrderRecord; payment: PaymentParams | null }> {
  assertTransition(order.status, 'paid')
  refuseIfPastPayBy(order, now)
  const _ = database().command
  let started = order
  if (!order.outTradeNo || (requestId && !order.payRequests?.includes(requestId))) {
    const outTradeNo = order.outTradeNo ?? outTradeNoFor(order._id, order.closedOutTradeNos?.length ?? 0)
    // the out_trade_no of this attempt, unless another request set one (or closed this one) since the order was read
    const where: Record<string, unknown> = { _id: order._id, status: 'created', outTradeNo: order.outTradeNo ?? null }
    if (!order.outTradeNo) where.closedOutTradeNos = _.neq(outTradeNo)
    const set: Record<string, unknown> = { outTradeNo, payMethod: 'wechat' }
    if (requestId) set.payRequests = _.push({ each: [requestId], slice: -20 })
    const { updated } = await orders().where(where).update(set)
    if (updated === 1) started = { ...order, outTradeNo, payMethod: 'wechat', payRequests: [...(order.payRequests ?? []), ...(requestId ? [requestId] : [])] }
    else {
      const fresh = await findOrder(order._id)
      if (!fresh || fresh.status !== 'created' || !fresh.outTradeNo) throw new AppError('ORDER_STATE_CHANGED', '订单状态已变化，请刷新后再试')
      started = fresh
    }
  }
  if (started.points > 0) await postEntry(await pointsEntry(started, now))
  try {
    const payment = await unifiedOrder({ outTradeNo: started.outTradeNo as string, totalFee: started.amount, body: started.title, openid, functionName: 'payment' })
    return { order: started, payment }
  } catch (error) {
    if (error instanceof AlreadyPaidError) return { order: started, payment: null }
    throw error
  }
}

/**
 * Closes an order: unpaid (created) orders are cancelled, paid or fulfilled ones refunded. What
 * the order took from the ledger comes back, WeChat Pay money is refunded through the port, and
 * the stock goes back. Each step happens once, however often or concurrently this is called.
 */
export async function closeOrder(order: OrderRecord, reason: string, by: string, now: Date, set: Record<string, unknown> = {}): Promise<OrderRecord> {
  const to: OrderStatus = order.status === 'created' ? 'cancelled' : 'refunded'
  const moved = await transition(order, to, reason, by, now, set)
  const current = moved ?? (await findOrder(order._id))
  if (!current) throw new Error(`order ${order._id} vanished`)
  if (!moved && current.status !== to) throw new AppError('ORDER_STATE_CHANGED', `订单状态已变化，请刷新后再试`)
  await refundLedgerPayment(current, reason, now)
  if (to === 'refunded' && current.payMethod === 'wechat' && current.amount > 0) await refundWechat(current)
  await releaseStock(current, now)
  return current
}

/** Whether this WeChat Pay payment is the one that paid the order. */
function paidBy(order: OrderRecord, outTradeNo: string): boolean {
  if (order.paidOutTradeNo) return order.paidOutTradeNo === outTradeNo
  // orders paid before paidOutTradeNo was recorded
  return order.payMethod === 'wechat' && order.outTradeNo === outTradeNo && order.status !== 'created' && order.status !== 'cancelled'
}

/** The order a WeChat Pay out_trade_no belongs to: its payment in progress, or one closed before. */
async function orderOfTrade(outTradeNo: string): Promise<OrderRecord | null> {
  const { data } = await orders().where({ outTradeNo }).limit(1).get()
  if (data[0]) return data[0] as OrderRecord
  const { data: closed } = await orders().where({ closedOutTradeNos: outTradeNo }).limit(1).get()
  return (closed[0] as OrderRecord | undefined) ?? null
}

/**
 * WeChat Pay's notification for an order (out_trade_no `OD…`): success marks a created order paid
 * (once, however many notifications arrive). A payment that is not the one that paid the order —
 * it arrived after the order was paid another way or closed, or its WeChat Pay order was closed —
 * is refunded, once per payment (the refund id comes from its out_trade_no), however often the
 * notification repeats. Returns what WeChat Pay expects back.
 */
export async function onOrderPayment(note: PayNotification, now: Date, kinds: OrderKinds): Promise<{ errcode: number; errmsg: string }> {
  const order = await orderOfTrade(note.outTradeNo)
  if (!order) return { errcode: 1, errmsg: 'unknown order' }
  if (note.totalFee !== order.amount) return { errcode: 1, errmsg: `amount ${note.totalFee} is not the order's ${order.amount}` }
  if (note.returnCode !== 'SUCCESS' || note.resultCode !== 'SUCCESS') return { errcode: 0, errmsg: 'OK' }
  let current: OrderRecord | null = order
  for (let attempt = 0; attempt < 5 && current; attempt++) {
    if (paidBy(current, note.outTradeNo)) return { errcode: 0, errmsg: 'OK' }
    if (current.status === 'created' && current.outTradeNo === note.outTradeNo) {
      const paid = await transition(current, 'paid', '微信支付', 'wechatpay', now, { transactionId: note.transactionId ?? null, payMethod: 'wechat', paidOutTradeNo: note.outTradeNo })
      if (paid) {
        await kinds[paid.kind].paid(paid, now)
        return { errcode: 0, errmsg: 'OK' }
      }
      current = await findOrder(order._id) // moved meanwhile: decide again on what it became
      continue
    }
    // Paid another way, closed, or this payment's WeChat Pay order was closed: give the money back.
    await refundPayment({ outTradeNo: note.outTradeNo, outRefundNo: latePaymentRefundNo(note.outTradeNo), totalFee: note.totalFee, refundFee: note.totalFee })
    const _ = database().command
    await orders()
      .where({ _id: order._id, latePaymentRefunds: _.neq(note.outTradeNo) })
      .update({ latePaymentRefunds: _.push(note.outTradeNo), latePaymentRefundedAt: now })
    console.log(`[orders] payment ${note.outTradeNo} arrived for ${order._id} (${current.status}, ${current.payMethod ?? 'unpaid'}): refunded`)
    return { errcode: 0, errmsg: 'OK' }
  }
  return { errcode: 2, errmsg: 'order kept changing, notify again' }
}

async function refundWechat(order: OrderRecord): Promise<void> {
  const outTradeNo = order.paidOutTradeNo ?? order.outTradeNo
  if (!outTradeNo) return
  await refundPayment({ outTradeNo, outRefundNo: `R${outTradeNo}`.slice(0, 64), totalFee: order.amount, refundFee: order.amount })
}

/** A group-buy's paid orders once the group is formed: from then on they wait for their fulfilment, not for the group. */
export async function markGroupFormed(groupId: string, now: Date): Promise<void> {
  await orders()
    .where({ groupId, groupFormedAt: database().command.exists(false) })
    .update({ groupFormedAt: now })
}

export async function toOrderView(order: OrderRecord): Promise<OrderView> {
  const fulfilment = order.fulfilment
  return {
    orderId: order._id,
    orderNo: referenceNumber(order._id, businessDay(new Date(order.createdAt))),
    kind: order.kind,
    status: order.status,
    stage: orderStage(order, Boolean(order.groupFormedAt), businessNow()),
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
          ? {
              type: 'delivery',
              address: fulfilment.address,
              carrier: fulfilment.carrier,
              trackingNo: fulfilment.trackingNo,
              shippedAt: fulfilment.shippedAt ? new Date(fulfilment.shippedAt).toISOString() : null,
            }
          : null,
    groupId: order.groupId,
    outTradeNo: order.outTradeNo ?? null,
    createdAt: new Date(order.createdAt).toISOString(),
    transitions: order.transitions.map((step) => ({ from: step.from, to: step.to, at: new Date(step.at).toISOString(), reason: step.reason })),
  }
}

/** 我的订单: the member's orders newest first, of one status and kind when named (one query). */
/**
 * An order whose payment failed while it was being placed (the balance fell short under a
 * concurrent spend) was never the member's to see: closed already, it is left out of their list.
 */
export async function unlistOrder(orderId: string): Promise<void> {
  await database().collection('orders').doc(orderId).update({ unlisted: true })
}

export async function memberOrders(memberId: string, status?: OrderStatus, kind?: OrderRecord['kind']): Promise<OrderRecord[]> {
  const where: Record<string, unknown> = { memberId, unlisted: database().command.neq(true) }
  if (status) where.status = status
  if (kind) where.kind = kind
  const { data } = await database().collection('orders').where(where).orderBy('createdAt', 'desc').limit(100).get()
  return data as OrderRecord[]
}

/** The member's order a cancel request already closed, if any (one query). */
export async function cancelledBy(memberId: string, requestId: string): Promise<OrderRecord | null> {
  const { data } = await database().collection('orders').where({ memberId, cancelRequestId: requestId }).limit(1).get()
  return (data[0] as OrderRecord | undefined) ?? null
}
