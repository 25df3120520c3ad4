/**
 * Emulated WeChat Pay (云支付), nothing leaves this machine:
 *   wx.wxPayApi  cloudPay.unifiedOrder   answered and recorded (what backend/payment.ts sends)
 *   wx.wxPayApi  cloudPay.refund         answered (once per outRefundNo, never more than paid) and recorded
 *   wx.wxPayApi  cloudPay.closeOrder     关闭订单, as WeChat Pay answers it: an unpaid order is closed (it can never be
 *                                        paid, and unified-ordering it again answers ORDERCLOSED); a paid one answers
 *                                        ORDERPAID (its notification still comes); a closed one ORDERCLOSED
 *   GET  /emulator/pay/orders             the recorded unified orders
 *   GET  /emulator/pay/refunds            the recorded refunds
 *   POST /emulator/pay/notify { outTradeNo, result: 'SUCCESS'|'FAIL', times?, concurrent?, totalFee?, deliver? }
 *        The payer pays (SUCCESS) or fails, and WeChat Pay's payment notification follows: invokes
 *        the order's callback function with the notification event and no user, `times` times
 *        (duplicates, one after another or all at once), and answers what each invocation
 *        returned. `totalFee` overrides the amount (tests of a tampered notification).
 *        `deliver: false`: the payer paid but the notification is still on its way (nothing is
 *        invoked; a later notify delivers it). A closed order cannot be paid: 409 ORDERCLOSED and
 *        no notification — unless it was paid before it was closed, which WeChat Pay refuses to close.
 *   POST /h5/pay/confirm { orderId, result }   (H5 dev build, Bearer session) the simulated
 *        微信支付 sheet: completes the payment of the session user's own order.
 */
import { createHash, randomBytes } from 'node:crypto'
import type http from 'node:http'
import { decodeOpenApiRequest, encodeOpenApiResponse } from '../backend/platform/openapi-codec'
import type { FunctionHost } from './functions'
import { readJson, sendJson } from './h5'
import type { AdminReply, AdminRequest } from './server'

export interface PayOrder {
  at: number
  outTradeNo: string
  totalFee: number
  body: string
  openid: string
  subMchId: string
  functionName: string
  envId: string
  prepayId: string
  /** how many unified-order calls named this order */
  calls: number
  /** NOTPAY until the payer pays (SUCCESS) or the merchant closes it (CLOSED) */
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED'
  closedAt: number | null
}

export interface NotifyAnswer {
  ok: boolean
  /** what the function returned */
  result?: unknown
  /** the invocation failed (crashed) */
  error?: string
}

const APPID = 'wx0000000000000000'
const MCH_ID = '1900000001'

function digits(seed: string, count: number): string {
  const digest = createHash('sha256').update(seed).digest()
  let out = ''
  for (let i = 0; out.length < count; i++) out += String(digest[i % digest.length] % 10)
  return out
}

function payReply(json: Record<string, unknown>): AdminReply {
  const body = Buffer.from(JSON.stringify(json))
  return { raw: encodeOpenApiResponse({ body, contentType: 'application/json; charset=utf-8', errorCode: 0 }), contentType: 'application/octet-stream' }
}

function failure(errCode: string, errCodeDes: string): Record<string, unknown> {
  return { returnCode: 'SUCCESS', returnMsg: 'OK', resultCode: 'FAIL', errCode, errCodeDes }
}

export interface PayRefund {
  at: number
  outTradeNo: string
  outRefundNo: string
  totalFee: number
  refundFee: number
  refundId: string
}

/** A payment of a closed order: WeChat Pay refuses it and sends no notification. */
export class PayClosedError extends Error {
  constructor(outTradeNo: string) {
    super(`unified order ${outTradeNo} is closed: it cannot be paid`)
  }
}

export class PayEmulator {
  private readonly orders = new Map<string, PayOrder>()
  private readonly refunds = new Map<string, PayRefund>()

  constructor(
    private readonly functions: FunctionHost,
    /** the WeChat user of an H5 dev session (Authorization header), or null */
    private readonly sessionOpenid: (authorization: string | undefined) => string | null,
    /** WeChat Pay's time: the emulator's business clock (ms), so payment and refund times follow the tests' clock */
    private readonly now: () => number = Date.now,
  ) {}

  list(): PayOrder[] {
    return [...this.orders.values()]
  }

  async handleWxPayApi(request: AdminRequest): Promise<AdminReply> {
    const apiName = String(request.params.apiName ?? '')
    const raw = request.params.requestData
    const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw ?? ''))
    const data = decodeOpenApiRequest(bytes)
    if (apiName === 'cloudPay.refund') return payReply(this.refund(data))
    if (apiName === 'cloudPay.closeOrder') return payReply(this.closeOrder(data))
    if (apiName !== 'cloudPay.unifiedOrder') return payReply(failure('NOT_SUPPORTED', `emulator does not implement ${apiName}`))
    return payReply(this.unifiedOrder(data))
  }

  refundList(): PayRefund[] {
    return [...this.refunds.values()]
  }

  /** 申请退款: refunds an ordered payment once per outRefundNo, never more than was ordered. */
  private refund(data: Record<string, unknown>): Record<string, unknown> {
    const outTradeNo = String(data.outTradeNo ?? '')
    const outRefundNo = String(data.outRefundNo ?? '')
    const refundFee = Number(data.refundFee)
    const order = this.orders.get(outTradeNo)
    if (!order) return failure('ORDERNOTEXIST', '订单不存在')
    if (!/^[A-Za-z0-9_\-|*@]{1,64}$/.test(outRefundNo)) return failure('PARAM_ERROR', 'outRefundNo 参数格式错误')
    const existing = this.refunds.get(outRefundNo)
    if (!existing) {
      const refunded = [...this.refunds.values()].filter((refund) => refund.outTradeNo === outTradeNo).reduce((sum, refund) => sum + refund.refundFee, 0)
      if (!Number.isInteger(refundFee) || refundFee <= 0 || refunded + refundFee > order.totalFee) return failure('INVALID_REQUEST', '退款金额大于支付金额')
      this.refunds.set(outRefundNo, { at: this.now(), outTradeNo, outRefundNo, totalFee: order.totalFee, refundFee, refundId: `50${digits(`refund:${outRefundNo}`, 26)}` })
    }
    const refund = this.refunds.get(outRefundNo) as PayRefund
    return { returnCode: 'SUCCESS', returnMsg: 'OK', resultCode: 'SUCCESS', outTradeNo, outRefundNo, refundId: refund.refundId, refundFee: refund.refundFee }
  }

  /** 关闭订单: an unpaid order is closed for good; a paid one cannot be closed (ORDERPAID). */
  private closeOrder(data: Record<string, unknown>): Record<string, unknown> {
    const order = this.orders.get(String(data.outTradeNo ?? ''))
    if (!order) return failure('ORDERNOTEXIST', '订单不存在')
    if (order.state === 'SUCCESS') return failure('ORDERPAID', '订单已支付，不能发起关单')
    if (order.state === 'CLOSED') return failure('ORDERCLOSED', '订单已关闭，无法重复关闭')
    order.state = 'CLOSED'
    order.closedAt = this.now()
    return { returnCode: 'SUCCESS', returnMsg: 'OK', resultCode: 'SUCCESS', outTradeNo: order.outTradeNo }
  }

  private unifiedOrder(data: Record<string, unknown>): Record<string, unknown> {
    const outTradeNo = String(data.outTradeNo ?? '')
    const totalFee = data.totalFee
    const body = String(data.body ?? '')
    const openid = String(data.openid ?? '')
    const subMchId = String(data.subMchId ?? '')
    const functionName = String(data.functionName ?? '')
    if (!/^[A-Za-z0-9_\-|*]{6,32}$/.test(outTradeNo)) return failure('PARAM_ERROR', 'outTradeNo 参数格式错误')
    if (typeof totalFee !== 'number' || !Number.isInteger(totalFee) || totalFee <= 0) return failure('PARAM_ERROR', 'totalFee 参数格式错误')
    if (body === '' || Buffer.byteLength(body) > 128) return failure('PARAM_ERROR', 'body 参数格式错误')
    if (!openid) return failure('PARAM_ERROR', '缺少参数 openid')
    if (!subMchId) return failure('PARAM_ERROR', '缺少参数 subMchId')
    if (!functionName) return failure('PARAM_ERROR', '缺少参数 functionName')

    const existing = this.orders.get(outTradeNo)
    if (existing && (existing.totalFee !== totalFee || existing.openid !== openid)) return failure('INVALID_REQUEST', '201 商户订单号重复')
    if (existing?.state === 'CLOSED') return failure('ORDERCLOSED', '订单已关闭')
    if (existing?.state === 'SUCCESS') return failure('ORDERPAID', '该订单已支付')
    const order: PayOrder = existing ?? {
      at: this.now(),
      outTradeNo,
      totalFee,
      body,
      openid,
      subMchId,
      functionName,
      envId: String(data.envId ?? ''),
      prepayId: `wx${digits(`prepay:${outTradeNo}`, 30)}`,
      calls: 0,
      state: 'NOTPAY',
      closedAt: null,
    }
    order.calls++
    this.orders.set(outTradeNo, order)
    const timeStamp = String(Math.floor(this.now() / 1000))
    const nonceStr = randomBytes(12).toString('hex')
    const pkg = `prepay_id=${order.prepayId}`
    const paySign = createHash('md5').update(`appId=${APPID}&nonceStr=${nonceStr}&package=${pkg}&signType=MD5&timeStamp=${timeStamp}&key=emulator`).digest('hex').toUpperCase()
    return {
      returnCode: 'SUCCESS',
      returnMsg: 'OK',
      appid: APPID,
      mchId: MCH_ID,
      subMchId,
      nonceStr,
      resultCode: 'SUCCESS',
      tradeType: 'JSAPI',
      prepayId: order.prepayId,
      payment: { appId: APPID, timeStamp, nonceStr, package: pkg, signType: 'MD5', paySign },
    }
  }

  /** The event WeChat Pay sends to the order's function (cloud payment callback). */
  private notification(order: PayOrder, result: 'SUCCESS' | 'FAIL', totalFee: number): Record<string, unknown> {
    const event: Record<string, unknown> = {
      appid: APPID,
      mchId: MCH_ID,
      subAppid: APPID,
      subMchId: order.subMchId,
      nonceStr: randomBytes(12).toString('hex'),
      returnCode: 'SUCCESS',
      resultCode: result,
      openid: order.openid,
      isSubscribe: 'N',
      subIsSubscribe: 'N',
      tradeType: 'JSAPI',
      bankType: 'OTHERS',
      feeType: 'CNY',
      totalFee,
      cashFee: totalFee,
      outTradeNo: order.outTradeNo,
      transactionId: `4200${digits(`tx:${order.outTradeNo}`, 24)}`,
      // yyyyMMddHHmmss in Beijing time, as WeChat Pay sends time_end
      timeEnd: new Date(this.now() + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14),
    }
    if (result === 'FAIL') Object.assign(event, { errCode: 'PAYERROR', errCodeDes: '支付失败' })
    return event
  }

  /**
   * The payer pays (or fails to) and WeChat Pay notifies. A closed order cannot be paid and
   * nothing is sent (PayClosedError); a paid order's notification is sent again whatever happened since.
   */
  async notify(options: { outTradeNo: string; result: 'SUCCESS' | 'FAIL'; times?: number; concurrent?: boolean; totalFee?: number; deliver?: boolean }): Promise<NotifyAnswer[]> {
    const order = this.orders.get(options.outTradeNo)
    if (!order) throw new Error(`no unified order ${options.outTradeNo}`)
    if (order.state === 'CLOSED') throw new PayClosedError(order.outTradeNo)
    if (options.result === 'SUCCESS') order.state = 'SUCCESS'
    if (options.deliver === false) return []
    const times = Math.max(1, Math.min(100, Math.floor(options.times ?? 1)))
    const once = async (): Promise<NotifyAnswer> => {
      try {
        const event = this.notification(order, options.result, options.totalFee ?? order.totalFee)
        return { ok: true, result: await this.functions.invoke(order.functionName, event, null) }
      } catch (error) {
        return { ok: false, error: (error as Error).message }
      }
    }
    if (options.concurrent) return Promise.all(Array.from({ length: times }, once))
    const answers: NotifyAnswer[] = []
    for (let i = 0; i < times; i++) answers.push(await once())
    return answers
  }

  /** /emulator/pay/... */
  async handleEmulatorRoute(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    if (url.pathname === '/emulator/pay/orders' && req.method === 'GET') return sendJson(res, 200, { orders: this.list() })
    if (url.pathname === '/emulator/pay/refunds' && req.method === 'GET') return sendJson(res, 200, { refunds: this.refundList() })
    if (url.pathname === '/emulator/pay/notify' && req.method === 'POST') {
      const body = await readJson(req)
      const result = body.result
      if (typeof body.outTradeNo !== 'string' || (result !== 'SUCCESS' && result !== 'FAIL')) {
        return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: "outTradeNo and result ('SUCCESS' or 'FAIL') are required" } })
      }
      if (!this.orders.has(body.outTradeNo)) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no unified order ${body.outTradeNo}` } })
      try {
        const answers = await this.notify({
          outTradeNo: body.outTradeNo,
          result,
          times: typeof body.times === 'number' ? body.times : 1,
          concurrent: body.concurrent === true,
          totalFee: typeof body.totalFee === 'number' ? body.totalFee : undefined,
          deliver: body.deliver !== false,
        })
        return sendJson(res, 200, { answers })
      } catch (error) {
        if (error instanceof PayClosedError) return sendJson(res, 409, { error: { code: 'ORDERCLOSED', message: error.message } })
        throw error
      }
    }
    return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: url.pathname } })
  }

  /** /h5/pay/confirm: the H5 build's stand-in for the 微信支付 sheet; only the order's own payer may complete it. */
  async handleH5Route(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    try {
      if (url.pathname !== '/h5/pay/confirm' || req.method !== 'POST') {
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } })
      }
      const openid = this.sessionOpenid(req.headers.authorization)
      if (!openid) return sendJson(res, 401, { error: { code: 'UNAUTHENTICATED', message: '登录已失效，请重新选择身份' } })
      const { orderId, result } = await readJson(req)
      if (typeof orderId !== 'string' || (result !== 'SUCCESS' && result !== 'FAIL')) {
        return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: "orderId and result ('SUCCESS' or 'FAIL') are required" } })
      }
      const order = this.orders.get(orderId)
      // Someone else's order looks exactly like a missing one.
      if (!order || order.openid !== openid) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: '支付订单不存在' } })
      const [answer] = await this.notify({ outTradeNo: orderId, result })
      return sendJson(res, 200, { result, answer })
    } catch (error) {
      if (error instanceof PayClosedError) return sendJson(res, 409, { error: { code: 'FAILED_PRECONDITION', message: '订单已关闭，无法支付' } })
      return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: (error as Error).message } })
    }
  }
}
