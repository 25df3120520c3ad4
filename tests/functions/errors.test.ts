/**
 * Errors through the real SDK: every refusal answers { code, reason, message, fields? } with a
 * reason from the catalogue; the router's own refusals have their reasons; timers too; an
 * INTERNAL error is logged with the invocation's own request id and answers only that id.
 */
import { isReason } from '../../domain/shared/reasons'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, invocations, newOpenid, requestId } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()

/** Waits until the emulator's stderr has a line matching the pattern (logs arrive through a pipe). */
async function logLine(pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const line = emulator
      .stderr()
      .split('\n')
      .find((candidate) => pattern.test(candidate))
    if (line) return line
    if (Date.now() > deadline) throw new Error(`no log line matching ${pattern} in:\n${emulator.stderr().slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('the router’s own refusals', () => {
  test('an unknown action is UNKNOWN_ACTION naming the field', async () => {
    const answer = await callerFor(emulator.adminUrl, newOpenid()).raw('loyalty', { action: 'frobnicate', input: {} })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'UNKNOWN_ACTION', fields: [{ path: 'action' }] } })
  })

  test('points for sharing, likes, reads and reviews can no longer be claimed: loyalty.earn is gone', async () => {
    const answer = await callerFor(emulator.adminUrl, newOpenid()).raw('loyalty', { action: 'earn', input: { behaviour: 'share', ref: 'a', requestId: requestId() } })
    expect(answer).toMatchObject({ ok: false, error: { reason: 'UNKNOWN_ACTION' } })
  })

  test('input the schema refuses is INVALID_INPUT with the fields', async () => {
    const answer = await callerFor(emulator.adminUrl, newOpenid()).call('loyalty', 'checkin', { requestId: 'x' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', fields: [{ path: 'requestId' }] } })
  })

  test('a member action from the console is WECHAT_USER_REQUIRED; a member action of someone who has not joined is NOT_A_MEMBER', async () => {
    expect(await callerFor(emulator.adminUrl, null).call('loyalty', 'status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', reason: 'WECHAT_USER_REQUIRED' } })
    expect(await callerFor(emulator.adminUrl, newOpenid()).call('loyalty', 'checkin', { requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', reason: 'NOT_A_MEMBER' },
    })
  })

  test('a timer event from a WeChat user is TIMER_ONLY; an unknown trigger from the console is UNKNOWN_TRIGGER', async () => {
    const timer = (TriggerName: string) => ({ Type: 'Timer', TriggerName, Time: new Date().toISOString() })
    expect(await callerFor(emulator.adminUrl, newOpenid()).raw('jobs', timer('nightly'))).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', reason: 'TIMER_ONLY' } })
    expect(await callerFor(emulator.adminUrl, null).raw('jobs', timer('hourly'))).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'UNKNOWN_TRIGGER' } })
    // jobs is the one timer entry point: mall and promo take no timer event (their sweeps run in jobs' minutely)
    for (const name of ['mall', 'promo'] as const) {
      expect(await callerFor(emulator.adminUrl, null).raw(name, timer('minutely'))).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    }
  })

  test('every reason answered above is one of the catalogue', async () => {
    const answers = await Promise.all([
      callerFor(emulator.adminUrl, newOpenid()).raw('member', { action: 'nope' }),
      callerFor(emulator.adminUrl, newOpenid()).call('member', 'card', {}),
      callerFor(emulator.adminUrl, newOpenid()).call('staff', 'me', {}),
      callerFor(emulator.adminUrl, newOpenid()).call('admin', 'trimOutboxes', {}),
    ])
    for (const answer of answers) {
      const error = (answer as { error?: { reason?: unknown } }).error
      expect(isReason(error?.reason)).toBe(true)
    }
  })
})

describe('INTERNAL', () => {
  test('is logged with the invocation’s own request id, and the answer carries that id only', async () => {
    // A flash sale with text where a date belongs makes the listing fail unexpectedly.
    const saleId = `fs-broken-${process.pid}`
    await db()
      .collection('flash_sales')
      .add({
        _id: saleId,
        title: '坏数据',
        image: null,
        price: 990,
        listPrice: 2990,
        stock: 1,
        sold: 0,
        perMemberLimit: 1,
        startAt: '2020-01-01T00:00:00Z',
        endAt: new Date(Date.now() + 3_600_000),
        fulfilment: ['pickup', 'delivery'],
      })
    const openid = newOpenid('internal')
    const caller = callerFor(emulator.adminUrl, openid)
    try {
      const first = await caller.call('promo', 'flashSales', {})
      const second = await caller.call('promo', 'flashSales', {})
      const [one, two] = (await invocations(emulator.url, { function: 'promo', openid })).slice(-2)
      expect(first).toEqual({ ok: false, error: { code: 'INTERNAL', reason: 'INTERNAL', message: one.id } })
      expect(second).toEqual({ ok: false, error: { code: 'INTERNAL', reason: 'INTERNAL', message: two.id } })
      expect(one.id).not.toBe(two.id)
      expect([one, two]).toEqual([expect.objectContaining({ errorCode: 'INTERNAL', errorReason: 'INTERNAL' }), expect.objectContaining({ errorCode: 'INTERNAL', errorReason: 'INTERNAL' })])
      // the log line names the same id, with the error that caused it
      const line = await logLine(new RegExp(`\\[promo\\] INTERNAL ${one.id}\\b`))
      expect(line).toContain(one.id)
      await logLine(new RegExp(`\\[promo\\] INTERNAL ${two.id}\\b`))
      expect(emulator.stderr()).toContain(saleId)
    } finally {
      await db().collection('flash_sales').doc(saleId).remove()
    }
  })
})
