/**
 * Paying a trade order (积分兑换, 秒杀, 拼团) with WeChat Pay: the wallet's sheet (services/pay), then
 * the server's word on the order. Stored-value payments are settled by the server in the same call
 * and need none of this (`payment` is null).
 */
import type { OrderView, PaymentParams } from '@domain/contract'
import { orderService } from './order'
import { SIMULATED_PAY, requestPay, type PaySheet } from './pay'

export type OrderPayOutcome =
  /** the server has the order past `created` (paid, or closed meanwhile) */
  | { kind: 'settled'; order: OrderView }
  /** the member closed the sheet; the order stays unpaid until its payBy */
  | { kind: 'cancelled'; order: OrderView }
  | { kind: 'failed'; message: string; order: OrderView }
  /** paid as far as the wallet knows, but the server has not heard yet */
  | { kind: 'pending'; order: OrderView }

export async function payOrder(placed: { order: OrderView; payment: PaymentParams | null }, sheet: PaySheet, options: { stopped?: () => boolean } = {}): Promise<OrderPayOutcome> {
  const { order, payment } = placed
  if (order.status !== 'created') return { kind: 'settled', order }
  if (!payment) return { kind: 'pending', order }
  // H5's simulated sheet confirms the WeChat Pay order by its out_trade_no; weapp's wallet needs only the parameters
  const tradeNo = SIMULATED_PAY ? order.outTradeNo : order.orderId
  if (!tradeNo) return { kind: 'failed', message: '支付没有完成：订单缺少微信支付单号，请稍后在订单中重试', order }
  const outcome = await requestPay({ orderId: tradeNo, amount: order.amount, payment }, sheet)
  if (outcome.kind === 'cancelled') return { kind: 'cancelled', order }
  // the wallet's errMsg (e.g. requestPayment:fail …) is not for people: the copy says what to do
  if (outcome.kind === 'failed') return { kind: 'failed', message: '支付没有完成，可在订单中重新支付', order }
  const latest = await orderService.waitUntilSettled(order.orderId, { stopped: options.stopped })
  return latest.status === 'created' ? { kind: 'pending', order: latest } : { kind: 'settled', order: latest }
}
