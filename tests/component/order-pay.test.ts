/**
 * Paying a trade order: a stored-value payment is settled by the server in the same call; WeChat Pay
 * goes through the wallet, then the page asks order.detail until the order leaves `created`. On H5
 * the simulated sheet confirms the WeChat Pay order the server named (OrderView.outTradeNo).
 */
import type { CallAnswer, OrderView, PaymentParams } from '@domain/contract'
import { ServiceError } from '../../src/services/errors'
import type { PayOutcome, PayRequest } from '../../src/services/pay-types'
import type { WireCall } from '../../src/services/wire'

const calls: WireCall[] = []
let script: Array<CallAnswer<unknown> | ServiceError> = []
const payRequests: PayRequest[] = []
let walletSays: PayOutcome = { kind: 'submitted' }
const platform = { simulated: true }

jest.mock('../../src/services/transport', () => ({
  send: async (call: WireCall) => {
    calls.push(call)
    const next = script.shift()
    if (!next) throw new Error('no scripted answer left')
    if (next instanceof ServiceError) throw next
    return next
  },
}))

jest.mock('../../src/services/pay', () => ({
  get SIMULATED_PAY() {
    return platform.simulated
  },
  requestPay: async (request: PayRequest) => {
    payRequests.push(request)
    return walletSays
  },
}))

const { payOrder } = require('../../src/services/order-pay') as typeof import('../../src/services/order-pay')

const ORDER_ID = 'flash:fs-serum-live:m_8101abf25db7193217e0288b:1'
const OUT_TRADE_NO = 'OD5f0c2a9e7b4d1c3a8e6f20b9d47a1c'
const payment: PaymentParams = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S' }

function order(status: OrderView['status']): OrderView {
  return {
    orderId: ORDER_ID,
    orderNo: '20261125384950201938',
    kind: 'flash',
    status,
    stage: status === 'created' ? 'unpaid' : 'shipping',
    title: '小棕瓶精华 30ml 限时秒杀',
    quantity: 1,
    points: 0,
    amount: 19900,
    payMethod: status === 'created' ? null : 'wechat',
    payBy: status === 'created' ? '2026-11-25T03:00:00.000Z' : null,
    fulfilment: null,
    groupId: null,
    outTradeNo: OUT_TRADE_NO,
    createdAt: '2026-11-25T02:45:00.000Z',
    transitions: [],
  }
}
const detail = (status: OrderView['status']) => ({ ok: true, data: { order: order(status) } }) as const
const sheet = { ask: async () => true }

beforeEach(() => {
  calls.length = 0
  payRequests.length = 0
  script = []
  walletSays = { kind: 'submitted' }
  platform.simulated = true
})

test('an order the server already settled (储值) needs no wallet', async () => {
  const outcome = await payOrder({ order: order('paid'), payment: null }, sheet)
  expect(outcome).toMatchObject({ kind: 'settled', order: { status: 'paid' } })
  expect(payRequests).toEqual([])
  expect(calls).toEqual([])
})

test('WeChat Pay: the wallet, then order.detail until paid', async () => {
  script = [detail('created'), detail('paid')] // one more round (a second) before the notification lands
  expect(await payOrder({ order: order('created'), payment }, sheet)).toMatchObject({ kind: 'settled', order: { status: 'paid' } })
  expect(payRequests).toHaveLength(1)
  expect(payRequests[0]).toMatchObject({ amount: 19900, payment })
  expect(calls.map((call) => [call.name, call.action, call.input])).toEqual(Array(2).fill(['order', 'detail', { orderId: ORDER_ID }]))
})

test("on H5 the simulated sheet confirms the order's own outTradeNo, as the server sent it", async () => {
  script = [detail('paid')]
  await payOrder({ order: { ...order('created'), outTradeNo: 'ODfromTheServer0001' }, payment }, sheet)
  expect(payRequests).toHaveLength(1)
  expect(payRequests[0].orderId).toBe('ODfromTheServer0001')
})

test('on H5 an order without an outTradeNo is not sent to the simulated sheet', async () => {
  const outcome = await payOrder({ order: { ...order('created'), outTradeNo: null }, payment }, sheet)
  expect(outcome).toMatchObject({ kind: 'failed', order: { status: 'created' } })
  expect(payRequests).toEqual([])
  expect(calls).toEqual([])
})

test('weapp: the wallet takes the payment parameters; the order id is passed as it is', async () => {
  platform.simulated = false
  script = [detail('paid')]
  await payOrder({ order: order('created'), payment }, sheet)
  expect(payRequests[0].orderId).toBe(ORDER_ID)
})

test("closing the wallet leaves the order unpaid and asks nothing; a wallet failure says what to do, not the wallet's errMsg", async () => {
  walletSays = { kind: 'cancelled' }
  expect(await payOrder({ order: order('created'), payment }, sheet)).toMatchObject({ kind: 'cancelled', order: { status: 'created' } })
  walletSays = { kind: 'failed', message: 'requestPayment:fail' }
  const failed = await payOrder({ order: order('created'), payment }, sheet)
  expect(failed).toMatchObject({ kind: 'failed', message: '支付没有完成，可在订单中重新支付' })
  expect(failed.kind === 'failed' && failed.message).not.toContain('requestPayment')
  expect(calls).toEqual([])
})
