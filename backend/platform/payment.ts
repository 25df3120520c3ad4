/**
 * The port to WeChat Pay (微信支付) through CloudBase's cloud payment (云支付): the unified order
 * that gives the mini-program what Taro.requestPayment needs, and the shape of the payment
 * notification WeChat Pay sends back to the function named in the order, closing an unpaid order
 * (关闭订单) and refunds.
 *
 * Transport: `cloudApp().callWxPayApi({ apiName: 'cloudPay.unifiedOrder', requestData })`, i.e. the
 * SDK's `wx.wxPayApi` multipart action with `type: 'raw'` (node-sdk src/wx/index.ts). The node-sdk
 * does not document the request framing of cloudPay calls; we frame it the way wx-server-sdk frames
 * `cloud.openapi.*` (protobuf CommApiData of key → JSON value pairs, camelCase keys as
 * `cloud.cloudPay.unifiedOrder` takes them) and read the reply as CommOpenApiResp carrying JSON,
 * accepting plain JSON too. Before going live, compare one real call with this (or call through
 * wx-server-sdk's `cloud.cloudPay.unifiedOrder`); only this file would change. The local emulator
 * (emulator/pay.ts) answers and records these calls.
 */
import type { PaymentParams } from '../../domain/contract'
import { AppError } from '../../domain/shared/errors'
import { cloudApp } from './cloud'
import { decodeOpenApiResponse, encodeOpenApiRequest } from './openapi-codec'

export interface UnifiedOrderRequest {
  /** our order id; 6–32 characters */
  outTradeNo: string
  /** fen */
  totalFee: number
  /** what the payer sees on the payment sheet and the bill */
  body: string
  /** the payer */
  openid: string
  /** the cloud function WeChat Pay calls back with the result */
  functionName: string
}

/** What WeChat Pay sends to `functionName` when a payment completes (cloud payment callback event). */
export interface PayNotification {
  returnCode: string
  resultCode?: string
  outTradeNo: string
  transactionId?: string
  totalFee: number
  subMchId?: string
  [key: string]: unknown
}

/** Setting name of the sub-merchant id (特约商户号) the brand's payments go to. */
export const SUB_MCH_SETTING = 'WECHAT_PAY_SUB_MCH_ID'

export function subMchId(): string {
  const value = process.env[SUB_MCH_SETTING]
  if (!value) throw new Error(`missing environment setting ${SUB_MCH_SETTING}`)
  return value
}

/** A payment notification, recognised by its fields; anything else is not one. */
export function asPayNotification(event: Record<string, unknown>): PayNotification | null {
  if (typeof event.returnCode !== 'string' || typeof event.outTradeNo !== 'string') return null
  const totalFee = Number(event.totalFee)
  if (!Number.isFinite(totalFee)) return null
  return { ...event, returnCode: event.returnCode, outTradeNo: event.outTradeNo, totalFee } as PayNotification
}

function parseReply(raw: unknown): Record<string, unknown> {
  if (Buffer.isBuffer(raw) || raw instanceof Uint8Array) {
    const bytes = Buffer.from(raw)
    try {
      return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>
    } catch {
      const response = decodeOpenApiResponse(bytes)
      return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>
    }
  }
  if (raw && typeof raw === 'object') return raw as Record<string, unknown>
  throw new Error(`unexpected cloudPay reply: ${String(raw)}`)
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** The WeChat Pay order was paid already (统一下单 or 关单 answered ORDERPAID): its notification is on its way. */
export class AlreadyPaidError extends AppError {
  constructor() {
    super('PAYMENT_IN_PROGRESS', '该订单已通过微信支付付款，正在确认支付结果，请稍后刷新')
  }
}

/** 统一下单: creates the WeChat Pay order and returns the parameters for Taro.requestPayment. */
export async function unifiedOrder(request: UnifiedOrderRequest): Promise<PaymentParams> {
  const requestData = encodeOpenApiRequest({
    body: request.body,
    outTradeNo: request.outTradeNo,
    spbillCreateIp: '127.0.0.1',
    subMchId: subMchId(),
    totalFee: request.totalFee,
    envId: process.env.TCB_ENV || process.env.SCF_NAMESPACE || '',
    functionName: request.functionName,
    openid: request.openid,
    tradeType: 'JSAPI',
  })
  const reply = parseReply(await cloudApp().callWxPayApi({ apiName: 'cloudPay.unifiedOrder', requestData }))
  if (reply.code) throw new Error(`cloudPay.unifiedOrder: ${String(reply.code)} ${String(reply.message ?? '')}`)
  if (reply.returnCode !== 'SUCCESS' || reply.resultCode !== 'SUCCESS') {
    if (reply.errCode === 'ORDERPAID') throw new AlreadyPaidError()
    const reason = text(reply.errCodeDes) || text(reply.returnMsg) || text(reply.errCode) || 'unknown'
    throw new AppError('WECHAT_PAY_FAILED', `微信支付下单失败：${reason}`)
  }
  const payment = (reply.payment ?? {}) as Record<string, unknown>
  const signType = text(payment.signType)
  if (!payment.package || !payment.paySign || !['RSA', 'MD5', 'HMAC-SHA256'].includes(signType)) {
    throw new Error('cloudPay.unifiedOrder answered without payment parameters')
  }
  return {
    timeStamp: String(payment.timeStamp),
    nonceStr: text(payment.nonceStr),
    package: text(payment.package),
    signType: signType as PaymentParams['signType'],
    paySign: text(payment.paySign),
  }
}

export interface RefundRequest {
  outTradeNo: string
  /** our refund id; one refund per id */
  outRefundNo: string
  totalFee: number
  refundFee: number
}

/** 申请退款: gives a WeChat Pay payment back (whole or part). The same outRefundNo refunds once. */
export async function refundPayment(request: RefundRequest): Promise<{ refundId: string }> {
  const requestData = encodeOpenApiRequest({
    outTradeNo: request.outTradeNo,
    outRefundNo: request.outRefundNo,
    totalFee: request.totalFee,
    refundFee: request.refundFee,
    subMchId: subMchId(),
    envId: process.env.TCB_ENV || process.env.SCF_NAMESPACE || '',
    nonceStr: Math.random().toString(36).slice(2, 14),
  })
  const reply = parseReply(await cloudApp().callWxPayApi({ apiName: 'cloudPay.refund', requestData }))
  if (reply.code) throw new Error(`cloudPay.refund: ${String(reply.code)} ${String(reply.message ?? '')}`)
  if (reply.returnCode !== 'SUCCESS' || reply.resultCode !== 'SUCCESS') {
    throw new AppError('WECHAT_REFUND_FAILED', `微信退款失败：${text(reply.errCodeDes) || text(reply.returnMsg) || 'unknown'}`)
  }
  return { refundId: text(reply.refundId) }
}

/**
 * 关闭订单: after this no payment of `outTradeNo` can be made, and WeChat Pay sends no notification
 * for it. Idempotent: an order already closed, or never created at WeChat Pay, counts as closed.
 * An order already paid cannot be closed: AlreadyPaidError (its notification still comes).
 */
export async function closePayment(request: { outTradeNo: string }): Promise<void> {
  const requestData = encodeOpenApiRequest({
    outTradeNo: request.outTradeNo,
    subMchId: subMchId(),
    envId: process.env.TCB_ENV || process.env.SCF_NAMESPACE || '',
    nonceStr: Math.random().toString(36).slice(2, 14),
  })
  const reply = parseReply(await cloudApp().callWxPayApi({ apiName: 'cloudPay.closeOrder', requestData }))
  if (reply.code) throw new Error(`cloudPay.closeOrder: ${String(reply.code)} ${String(reply.message ?? '')}`)
  if (reply.returnCode === 'SUCCESS' && reply.resultCode === 'SUCCESS') return
  if (reply.errCode === 'ORDERCLOSED' || reply.errCode === 'ORDERNOTEXIST') return
  if (reply.errCode === 'ORDERPAID') throw new AlreadyPaidError()
  // SYSTEMERROR and the like: not known to be closed, so nothing may go on as if it were.
  throw new Error(`cloudPay.closeOrder ${request.outTradeNo}: ${text(reply.errCode) || text(reply.returnMsg) || 'unknown'} ${text(reply.errCodeDes)}`)
}
