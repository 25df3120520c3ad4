/**
 * The top-up client: WeChat Pay tells the server, not the page, so after the wallet the page
 * asks payment.topupStatus until the order is paid or failed. A lost answer is asked again;
 * a server error reaches the page. The transport is replaced by a scripted fake.
 */
import type { CallAnswer } from '@domain/contract'
import { ServiceError, clientError } from '../../src/services/errors'
import type { WireCall } from '../../src/services/wire'

const calls: WireCall[] = []
let script: Array<CallAnswer<unknown> | ServiceError> = []

jest.mock('../../src/services/transport', () => ({
  send: async (call: WireCall) => {
    calls.push(call)
    const next = script.shift()
    if (!next) throw new Error('no scripted answer left')
    if (next instanceof ServiceError) throw next
    return next
  },
}))

const { paymentService } = require('../../src/services/payment') as typeof import('../../src/services/payment')

const status = (state: 'created' | 'paid' | 'failed', balanceAfter: number | null = null) => ({ ok: true, data: { orderId: 'tp1', status: state, amount: 50000, bonus: 5000, balanceAfter } }) as const

beforeEach(() => {
  calls.length = 0
  script = []
})

test('polls topupStatus until the order is paid, then resolves with the balance after', async () => {
  script = [status('created'), status('created'), status('paid', 55000)]
  const result = await paymentService.waitForTopup('tp1', { intervalMs: 0 })
  expect(result).toMatchObject({ status: 'paid', balanceAfter: 55000 })
  expect(calls.map((call) => [call.name, call.action, call.input])).toEqual(Array(3).fill(['payment', 'topupStatus', { orderId: 'tp1' }]))
})

test('a failed order ends the wait', async () => {
  script = [status('created'), status('failed')]
  expect((await paymentService.waitForTopup('tp1', { intervalMs: 0 })).status).toBe('failed')
})

test('lost answers are asked again; a server error reaches the page', async () => {
  const lost = () => clientError('NETWORK', 'timeout')
  // retryOnNetwork inside topupStatus retries twice with delays; keep them out of this test
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] })
  try {
    script = [lost(), lost(), lost(), status('paid', 55000)]
    const waiting = paymentService.waitForTopup('tp1', { intervalMs: 0 })
    await jest.runAllTimersAsync()
    expect((await waiting).status).toBe('paid')

    script = [{ ok: false, error: { code: 'NOT_FOUND', reason: 'TOPUP_NOT_FOUND', message: '充值订单不存在' } }]
    const refused = paymentService.waitForTopup('tp2', { intervalMs: 0 }).catch((error: unknown) => error)
    await jest.runAllTimersAsync()
    expect(await refused).toMatchObject({ code: 'NOT_FOUND', reason: 'TOPUP_NOT_FOUND' })
  } finally {
    jest.useRealTimers()
  }
})

test('gives up after the time limit with the last answer (still created), so the page can offer 刷新结果', async () => {
  script = Array.from({ length: 50 }, () => status('created'))
  const result = await paymentService.waitForTopup('tp1', { intervalMs: 1, timeoutMs: 20 })
  expect(result.status).toBe('created')
})

test('createTopup sends the amount in fen and the requestId of the intent', async () => {
  script = [{ ok: true, data: { orderId: 'tp1', amount: 50000, bonus: 5000, payment: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=x', signType: 'RSA', paySign: 's' } } }]
  await paymentService.createTopup(50000, 'topup_abc12345')
  expect(calls[0]).toEqual({ name: 'payment', action: 'createTopup', input: { amount: 50000, requestId: 'topup_abc12345' } })
})
