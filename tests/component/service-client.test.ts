/**
 * The mini-program's one typed client (src/services): answers, typed errors, and retries
 * that keep the same requestId. The platform transport is replaced by a scripted fake.
 */
import type { CallAnswer } from '@domain/contract'
import { ServiceError, describeError, hasCode } from '../../src/services/errors'
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
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { callFunction, retryOnNetwork } = require('../../src/services/call') as typeof import('../../src/services/call')
// eslint-disable-next-line @typescript-eslint/no-require-imports
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

test('an { ok: false } answer becomes a ServiceError with the same code, message and fields', async () => {
  script = [{ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: 'bad', fields: [{ path: 'requestId', message: 'too short' }] } }]
  const error = await callFunction('loyalty', 'checkin', { requestId: 'x' }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ServiceError)
  expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'bad', fields: [{ path: 'requestId', message: 'too short' }] })
})

test('check-in retries a lost answer with the SAME requestId, so it is applied once', async () => {
  script = [new ServiceError('NETWORK', 'timeout'), new ServiceError('NETWORK', 'timeout'), { ok: true, data: { entry, points: 110 } }]
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
  expect(calls).toHaveLength(1)
})

test('retries give up after the last delay and surface NETWORK', async () => {
  script = [new ServiceError('NETWORK', 'offline'), new ServiceError('NETWORK', 'offline')]
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
