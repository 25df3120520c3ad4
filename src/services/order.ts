import type { OrderKind, OrderStatus, OrderView } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'
import { clientError, ServiceError } from './errors'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const orderService = {
  list: (filter: { status?: OrderStatus; kind?: OrderKind } = {}) => retryOnNetwork(() => callFunction('order', 'list', filter)),
  detail: (orderId: string) => retryOnNetwork(() => callFunction('order', 'detail', { orderId })),
  /** 储值支付 at once, or WeChat Pay parameters (`payment`); a paid order answers as paid. */
  pay: (orderId: string, method: 'balance' | 'wechat', requestId: string, payPassword?: string) =>
    retryOnNetwork(() => callFunction('order', 'pay', { orderId, method, requestId, ...(payPassword ? { payPassword } : {}) })),
  /** 取消订单: before payment, or a pickup order before it is collected. */
  cancel: (orderId: string, requestId: string) => retryOnNetwork(() => callFunction('order', 'cancel', { orderId, requestId })),
  /** 提货码: a short-lived code the clerk scans. */
  pickupCode: (orderId: string) => retryOnNetwork(() => callFunction('order', 'pickupCode', { orderId })),

  /**
   * After WeChat Pay's sheet: asks for the order until it is no longer `created` (WeChat Pay tells
   * the server, not the page). Resolves with the last answer, still `created` when `timeoutMs` ran
   * out or `stopped()` said to give up.
   */
  async waitUntilSettled(orderId: string, options: { intervalMs?: number; timeoutMs?: number; stopped?: () => boolean } = {}): Promise<OrderView> {
    const { intervalMs = 1000, timeoutMs = 30_000, stopped = () => false } = options
    const deadline = Date.now() + timeoutMs
    let last: OrderView | null = null
    for (;;) {
      try {
        last = (await orderService.detail(orderId)).order
        if (last.status !== 'created') return last
      } catch (error) {
        if (!(error instanceof ServiceError) || error.code !== 'NETWORK') throw error
      }
      if (Date.now() >= deadline || stopped()) {
        if (last) return last
        throw clientError('PAYMENT_UNCONFIRMED', 'no answer from the server about the payment')
      }
      await sleep(intervalMs)
    }
  },
}
