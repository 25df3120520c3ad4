/**
 * 自助储值: the member tops up stored value with WeChat Pay.
 *
 *   createTopup   order doc `payment_orders/<orderId>` (id from member + requestId, so a retry
 *                 finds the same order) → WeChat Pay unified order → params for requestPayment
 *   notification  WeChat Pay calls this function back (no user context): on SUCCESS one ledger
 *                 entry `topup:<orderId>` credits amount + bonus, then the order is marked paid.
 *
 * The ledger entry id makes crediting happen at most once whatever the number, order or timing
 * of notifications; the order update is conditional on its status, so a late FAIL never undoes
 * a payment, and a SUCCESS after a FAIL still credits (the money was taken).
 */
import { createHash } from 'node:crypto'
import type { ActionResults } from '../../domain/contract'
import { AppError } from '../../domain/shared/errors'
import { inactiveCardError, memberIdFor } from '../../domain/membership'
import { bonusFor, checkTopupAmount, formatFen, topupEntry, topupEntryId, topupOptions } from '../../domain/loyalty/stored-value'
import { businessDay } from '../../domain/shared/time'
import { database, isDuplicateKey, type Caller } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { requireMember, type ActionContext } from '../platform/handler'
import { balancesAfter, postEntry } from '../loyalty/ledger'
import { findMember, notAMember } from '../membership'
import { SUB_MCH_SETTING, unifiedOrder, type PayNotification } from '../platform/payment'
import type { PaymentParams } from '../../domain/contract'

type Results = ActionResults['payment']

export interface TopupOrder {
  _id: string
  memberId: string
  openid: string
  requestId: string
  amount: number
  bonus: number
  status: 'created' | 'paid' | 'failed'
  body: string
  createdAt: Date
  payment: PaymentParams | null
  paidAt: Date | null
  failedAt: Date | null
  transactionId: string | null
  entryId: string
  balanceAfter: number | null
}

const orders = () => database().collection('payment_orders')

/** The order id (and WeChat out_trade_no, ≤ 32 characters) of one member's top-up request. */
export function topupOrderId(memberId: string, requestId: string): string {
  return 'tp' + createHash('sha256').update(`${memberId}:${requestId}`).digest('hex').slice(0, 30)
}

async function findOrder(orderId: string): Promise<TopupOrder | null> {
  const { data } = await orders().doc(orderId).get()
  return (data[0] as TopupOrder | undefined) ?? null
}

export async function listTopupOptions(): Promise<Results['topupOptions']> {
  const { storedValue } = await loyaltyConfig()
  return { options: topupOptions(storedValue), minAmount: storedValue.minAmount, maxAmount: storedValue.maxAmount }
}

export async function createTopup({ amount, requestId }: { amount: number; requestId: string }, { caller, now }: ActionContext): Promise<Results['createTopup']> {
  const openid = requireMember(caller)
  const memberId = memberIdFor(openid)
  const [member, { storedValue, brand }] = await Promise.all([findMember(memberId), loyaltyConfig()])
  if (!member) throw notAMember()
  checkTopupAmount(amount, storedValue)
  if (member.status !== 'active') throw inactiveCardError(member.status)

  const orderId = topupOrderId(memberId, requestId)
  let order: TopupOrder = {
    _id: orderId,
    memberId,
    openid,
    requestId,
    amount,
    bonus: bonusFor(amount, storedValue),
    status: 'created',
    body: `${brand.name}-会员储值`.slice(0, 40),
    createdAt: now,
    payment: null,
    paidAt: null,
    failedAt: null,
    transactionId: null,
    entryId: topupEntryId(orderId),
    balanceAfter: null,
  }
  try {
    await orders().add(order)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    const existing = await findOrder(orderId)
    if (!existing) throw error
    // The same request again (even with another amount) is the first top-up: its amount, its WeChat Pay order.
    order = existing
  }
  if (order.payment) return { orderId, amount: order.amount, bonus: order.bonus, payment: order.payment }
  if (order.status !== 'created') throw new AppError('TOPUP_CLOSED', '该充值订单已结束，请重新发起')

  // Same out_trade_no and parameters again after a crash is accepted by WeChat Pay (same prepay).
  const payment = await unifiedOrder({ outTradeNo: orderId, totalFee: order.amount, body: order.body, openid, functionName: 'payment' })
  await orders()
    .doc(orderId)
    .update({ payment: database().command.set(payment) })
  return { orderId, amount: order.amount, bonus: order.bonus, payment }
}

export async function topupStatus({ orderId }: { orderId: string }, caller: Caller): Promise<Results['topupStatus']> {
  const memberId = memberIdFor(requireMember(caller))
  const order = await findOrder(orderId)
  // Someone else's order is answered exactly like a missing one.
  if (!order || order.memberId !== memberId) throw new AppError('TOPUP_NOT_FOUND', '充值订单不存在')
  return { orderId, status: order.status, amount: order.amount, bonus: order.bonus, balanceAfter: order.balanceAfter ?? null }
}

/** What WeChat Pay expects back: errcode 0 acknowledges; anything else makes it notify again later. */
type Ack = { errcode: number; errmsg: string }
const ACK: Ack = { errcode: 0, errmsg: 'OK' }
const refuse = (outTradeNo: string, reason: string): Ack => {
  console.error(`[payment] notification for ${outTradeNo} refused: ${reason}`)
  return { errcode: 1, errmsg: reason }
}

export async function onPayNotification(note: PayNotification, { caller, now }: ActionContext): Promise<unknown> {
  // Only WeChat Pay sends notifications, and it carries no user: a mini-program user cannot fake one.
  if (caller.openid) return { ok: false, error: new AppError('PAY_NOTIFICATION_ONLY', '支付结果只接受微信支付的通知').toJSON() }
  try {
    const order = await findOrder(note.outTradeNo)
    if (!order) return refuse(note.outTradeNo, 'unknown order')
    const expectedMch = process.env[SUB_MCH_SETTING]
    if (expectedMch && note.subMchId !== undefined && note.subMchId !== expectedMch) return refuse(order._id, `sub merchant ${String(note.subMchId)}`)
    if (note.totalFee !== order.amount) return refuse(order._id, `amount ${note.totalFee} is not the order's ${order.amount}`)

    const _ = database().command
    const succeeded = note.returnCode === 'SUCCESS' && note.resultCode === 'SUCCESS'
    if (!succeeded) {
      await orders()
        .where({ _id: order._id, status: 'created' })
        .update({ status: 'failed', failedAt: now, failure: _.set({ returnCode: note.returnCode, resultCode: note.resultCode ?? null, errCode: note.errCode ?? null }) })
      return ACK
    }
    if (order.status === 'paid') return ACK

    // A repeated notification finds the entry applied (at any age) and credits nothing twice.
    const posted = await postEntry(
      topupEntry({
        orderId: order._id,
        memberId: order.memberId,
        amount: order.amount,
        bonus: order.bonus,
        requestId: order.requestId,
        businessDay: businessDay(now, (await loyaltyConfig()).brand.timeZone),
        createdAt: now,
        transactionId: note.transactionId ?? null,
      }),
      // The money was taken: a card lost or frozen since still gets it.
      { allowInactive: true },
    )
    const balanceAfter = posted.replayed ? (await balancesAfter(posted.member, posted.entry)).balance : posted.member.balance
    await orders()
      .where({ _id: order._id, status: _.neq('paid') })
      .update({ status: 'paid', paidAt: new Date(posted.entry.createdAt), transactionId: note.transactionId ?? null, balanceAfter })
    console.log(`[payment] ${order._id} paid: ${formatFen(order.amount)} + ${formatFen(order.bonus)} credited to ${order.memberId}`)
    return ACK
  } catch (error) {
    console.error(`[payment] notification for ${note.outTradeNo} failed`, error)
    return { errcode: 2, errmsg: 'temporarily unable to process, notify again' }
  }
}
