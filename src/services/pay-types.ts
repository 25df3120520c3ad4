import type { PaymentParams } from '@domain/contract'

/** What the wallet is asked to pay. */
export interface PayRequest {
  orderId: string
  /** fen */
  amount: number
  payment: PaymentParams
}

/**
 * What the wallet said. Only the server knows whether money arrived (payment.topupStatus);
 * `submitted` means the user went through with it, `cancelled` that they backed out.
 */
export type PayOutcome = { kind: 'submitted' } | { kind: 'cancelled' } | { kind: 'failed'; message: string }

/**
 * H5 has no WeChat wallet: the page shows a simulated pay sheet (模拟微信支付) and tells the
 * transport the user's choice. weapp ignores this; WeChat draws its own sheet.
 */
export interface PaySheet {
  /** resolves true for 确认支付, false for 取消 */
  ask(request: PayRequest): Promise<boolean>
}

export type RequestPay = (request: PayRequest, sheet: PaySheet) => Promise<PayOutcome>
