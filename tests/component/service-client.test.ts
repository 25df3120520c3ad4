/**
 * The mini-program's one typed client (src/services): answers, typed errors, and retries
 * that keep the same requestId. The platform transport is replaced by a scripted fake.
 */
import type { CallAnswer } from '@domain/contract'
import { ServiceError, clientError, describeError, errorDetail, hasCode, hasReason } from '../../src/services/errors'
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

// required (not imported) after jest.mock: the esbuild transform does not hoist jest.mock above imports
const { ABORTED_RETRY_DELAYS_MS, callFunction, retryOnNetwork } = require('../../src/services/call') as typeof import('../../src/services/call')
const { loyaltyService } = require('../../src/services/loyalty') as typeof import('../../src/services/loyalty')

const entry = {
  id: 'l1',
  source: 'checkin' as const,
  change: 10,
  balanceAfter: 110,
  createdAt: '2024-11-25T01:00:00.000Z',
  businessDay: '2024-11-25',
  description: '每日签到',
}

beforeEach(() => {
  calls.length = 0
  script = []
})

test('a call travels as { name, action, input } and resolves with the answer data', async () => {
  script = [{ ok: true, data: { businessDay: '2024-11-25', checkedInToday: false, points: 100, checkinPoints: 10 } }]
  const status = await callFunction('loyalty', 'status', {})
  expect(status.points).toBe(100)
  expect(calls).toEqual([{ name: 'loyalty', action: 'status', input: {} }])
})

test('an { ok: false } answer becomes a ServiceError with the same code, reason and fields', async () => {
  script = [{ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: 'bad', fields: [{ path: 'requestId', message: 'too short' }] } }]
  const error = await callFunction('loyalty', 'checkin', { requestId: 'x' }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ServiceError)
  expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', fields: [{ path: 'requestId', message: 'too short' }] })
})

test('check-in retries a lost answer with the SAME requestId, so it is applied once', async () => {
  script = [clientError('NETWORK', 'timeout'), clientError('NETWORK', 'timeout'), { ok: true, data: { entry, points: 110 } }]
  const requestId = loyaltyService.newCheckinRequestId()
  const result = await retryOnNetwork(() => callFunction('loyalty', 'checkin', { requestId }), [0, 0])
  expect(result.points).toBe(110)
  expect(calls).toHaveLength(3)
  expect(new Set(calls.map((call) => (call.input as { requestId: string }).requestId))).toEqual(new Set([requestId]))
})

test('answers from the server are not retried: ALREADY_EXISTS reaches the page once', async () => {
  script = [{ ok: false, error: { code: 'ALREADY_EXISTS', reason: 'ALREADY_CHECKED_IN', message: '今天已经签到过了' } }]
  const error = await loyaltyService.checkin(loyaltyService.newCheckinRequestId()).catch((e: unknown) => e)
  expect(hasCode(error, 'ALREADY_EXISTS')).toBe(true)
  expect(hasReason(error, 'ALREADY_CHECKED_IN')).toBe(true)
  expect(calls).toHaveLength(1)
})

test('retries give up after the last delay and surface NETWORK', async () => {
  script = [clientError('NETWORK', 'offline'), clientError('NETWORK', 'offline')]
  const error = await retryOnNetwork(() => callFunction('member', 'profile', {}), [0]).catch((e: unknown) => e)
  expect(hasCode(error, 'NETWORK')).toBe(true)
  expect(describeError(error)).toBe('网络开小差了，请检查网络后重试')
  expect(calls).toHaveLength(2)
})

test('request ids fit the contract: 8–64 characters of [A-Za-z0-9_-], different on every tap', () => {
  const ids = Array.from({ length: 200 }, () => loyaltyService.newCheckinRequestId())
  for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  expect(new Set(ids).size).toBe(ids.length)
})

describe('contention (ABORTED) is retried by the client itself', () => {
  const busy = { ok: false, error: { code: 'ABORTED', reason: 'BUSY', message: '操作繁忙，请稍后重试' } } as const
  const checkedIn = { ok: true, data: { entry, points: 110 } } as const

  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] }))
  afterEach(() => jest.useRealTimers())

  test('an ABORTED answer is sent again with the same input (same requestId) after a short pause, until it is applied', async () => {
    script = [busy, busy, checkedIn]
    const requestId = loyaltyService.newCheckinRequestId()
    const checkin = callFunction('loyalty', 'checkin', { requestId })
    await jest.runAllTimersAsync()
    expect((await checkin).points).toBe(110)
    expect(calls).toEqual(Array(3).fill({ name: 'loyalty', action: 'checkin', input: { requestId } }))
  })

  test('the pauses grow and stay short: nothing is resent before the first pause, everything within a few seconds', async () => {
    script = [busy, checkedIn]
    const checkin = callFunction('loyalty', 'checkin', { requestId: loyaltyService.newCheckinRequestId() })
    await jest.advanceTimersByTimeAsync(50)
    expect(calls).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(2000)
    expect(calls).toHaveLength(2)
    await checkin
    expect([...ABORTED_RETRY_DELAYS_MS].sort((a, b) => a - b)).toEqual([...ABORTED_RETRY_DELAYS_MS])
    expect(ABORTED_RETRY_DELAYS_MS.reduce((sum, ms) => sum + ms, 0) * 1.25).toBeLessThan(3000)
  })

  test('after the last retry the page hears BUSY, shown as copy, not as a code', async () => {
    script = [busy, busy, busy, busy]
    const checkin = callFunction('loyalty', 'checkin', { requestId: loyaltyService.newCheckinRequestId() }).catch((e: unknown) => e)
    await jest.runAllTimersAsync()
    const error = await checkin
    expect(error).toMatchObject({ code: 'ABORTED', reason: 'BUSY' })
    expect(calls).toHaveLength(4)
    expect(describeError(error)).toBe('操作的人太多了，请稍后重试')
  })

  test('other refusals are not retried', async () => {
    script = [{ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'SOLD_OUT', message: '已抢光' } }]
    const buying = callFunction('promo', 'flashBuy', { saleId: 'fs-1', requestId: 'req_12345678' }).catch((e: unknown) => e)
    await jest.runAllTimersAsync()
    expect(await buying).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'SOLD_OUT' })
    expect(calls).toHaveLength(1)
  })
})

describe('what people see is the copy for the reason, never a code or a raw message', () => {
  test('a server reason shows its copy, whatever the server message says', async () => {
    script = [{ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: 'invalid input for loyalty.checkin: requestId String must contain at least 8 character(s)' } }]
    const error = await callFunction('loyalty', 'checkin', { requestId: 'x' }).catch((e: unknown) => e)
    expect(describeError(error)).toBe('填写的信息有误，请检查后重试')
    expect(errorDetail(error)).toBe('')
  })

  test('a failed transport shows the network copy, not "NETWORK · Failed to fetch"', async () => {
    script = [clientError('NETWORK', 'Failed to fetch')]
    const error = await callFunction('member', 'profile', {}).catch((e: unknown) => e)
    expect(describeError(error)).toBe('网络开小差了，请检查网络后重试')
    expect(errorDetail(error)).toBe('')
  })

  test('INTERNAL shows the copy and, under it, only the reference the server gave (the invocation id)', async () => {
    script = [{ ok: false, error: { code: 'INTERNAL', reason: 'INTERNAL', message: 'inv1a2b3c' } }]
    const error = await callFunction('member', 'profile', {}).catch((e: unknown) => e)
    expect(describeError(error)).toBe('服务暂时不可用，请稍后重试')
    expect(errorDetail(error)).toBe('参考编号 inv1a2b3c')
  })

  test('a reason this build does not know (a newer server), or a key of every object, falls back to copy for its code', () => {
    for (const reason of ['SOMETHING_NEW', 'constructor', '__proto__', 'toString', '']) {
      expect(describeError(new ServiceError('NOT_FOUND', reason, 'x'))).toBe('没有找到相关信息')
    }
    expect(describeError(new ServiceError('ABORTED', 'SOMETHING_NEW', 'x'))).toBe('操作的人太多了，请稍后重试')
    expect(describeError(new Error('Cannot read properties of undefined'))).toBe('服务暂时不可用，请稍后重试')
    expect(errorDetail(new Error('Cannot read properties of undefined'))).toBe('')
  })
})
