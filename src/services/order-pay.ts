/**
 * Paying a trade order (积分兑换, 秒杀, 拼团) with WeChat Pay: the wallet's sheet (services/pay), then
 * the server's word on the order. Stored-value payments are settled by the server in the same call
 * and need none of this (`payment` is null).
 */
import type { OrderView, PaymentParams } from '@domain/contract'
import { ServiceError } from './errors'
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

/**
 * WeChat Pay's out_trade_no of a trade order. Only the H5 simulated sheet needs it: the emulator's
 * `POST /h5/pay/confirm` names the WeChat Pay order, and OrderView does not carry it, so it is
 * derived the way backend/orders.ts names it (`OD` + the first 28 hex digits of sha256(orderId)).
 * weapp never calls this: Taro.requestPayment takes the payment parameters alone.
 */
async function simulatedTradeNo(orderId: string): Promise<string> {
  const subtle = typeof crypto !== 'undefined' ? crypto.subtle : undefined
  if (!subtle) throw new ServiceError('INTERNAL', '模拟支付需要在 http://127.0.0.1 或 https 下打开')
  const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(orderId)))
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `OD${hex.slice(0, 28)}`
}

export async function payOrder(
  placed: { order: OrderView; payment: PaymentParams | null },
  sheet: PaySheet,
  options: { stopped?: () => boolean } = {},
): Promise<OrderPayOutcome> {
  const { order, payment } = placed
  if (order.status !== 'created') return { kind: 'settled', order }
  if (!payment) return { kind: 'pending', order }
  const tradeNo = SIMULATED_PAY ? await simulatedTradeNo(order.orderId) : order.orderId
  const outcome = await requestPay({ orderId: tradeNo, amount: order.amount, payment }, sheet)
  if (outcome.kind === 'cancelled') return { kind: 'cancelled', order }
  if (outcome.kind === 'failed') return { kind: 'failed', message: `支付没有完成：${outcome.message}`, order }
  const latest = await orderService.waitUntilSettled(order.orderId, { stopped: options.stopped })
  return latest.status === 'created' ? { kind: 'pending', order: latest } : { kind: 'settled', order: latest }
}
