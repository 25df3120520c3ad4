import type { ActionResult } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'
import { clientError, ServiceError } from './errors'

export type TopupStatus = ActionResult<'payment', 'topupStatus'>

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const paymentService = {
  /** Presets with their bonus (充500送50) and the allowed range, in fen. */
  topupOptions: () => retryOnNetwork(() => callFunction('payment', 'topupOptions', {})),
  /** A WeChat Pay order for a self top-up; the same requestId returns the same order. */
  createTopup: (amount: number, requestId: string) => retryOnNetwork(() => callFunction('payment', 'createTopup', { amount, requestId })),
  topupStatus: (orderId: string) => retryOnNetwork(() => callFunction('payment', 'topupStatus', { orderId })),

  /**
   * Asks topupStatus until the order is paid or failed (WeChat Pay notifies the server, not the
   * page, so the page waits for the server's word). Resolves with the last answer, which is still
   * `created` when `timeoutMs` ran out or `stopped()` said to give up.
   */
  async waitForTopup(orderId: string, options: { intervalMs?: number; timeoutMs?: number; stopped?: () => boolean } = {}): Promise<TopupStatus> {
    const { intervalMs = 1000, timeoutMs = 30_000, stopped = () => false } = options
    const deadline = Date.now() + timeoutMs
    let last: TopupStatus | null = null
    for (;;) {
      try {
        last = await paymentService.topupStatus(orderId)
        if (last.status !== 'created') return last
      } catch (error) {
        // a lost answer is retried by the next round; anything else is for the page to show
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
