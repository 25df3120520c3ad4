/**
 * Helpers for tests that move the emulator's business clock (`/emulator/clock`): instants in
 * Asia/Shanghai, timer triggers that fire on the clock, WeChat Pay notifications, and refusals
 * checked by code (and reason, once errors carry one).
 *
 * The clock keeps running in real time after it is set, so an invocation sees the set instant
 * plus the few milliseconds the test took to get there: "just before" a limit is set a second
 * early, "at" a limit is set exactly on it (a late millisecond is still at or after it).
 */
import { callerFor, moveClock } from './functions'

export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** An instant given as Asia/Shanghai wall-clock time, `YYYY-MM-DDTHH:mm:ss(.sss)`. */
export function shanghai(local: string): number {
  const instant = Date.parse(`${local}+08:00`)
  if (Number.isNaN(instant)) throw new Error(`not a local time: ${local}`)
  return instant
}

/** Sets the business clock to an instant; answers it. */
export async function setClock(emulatorUrl: string, instant: number): Promise<number> {
  await moveClock(emulatorUrl, { set: instant })
  return instant
}

/** A timer trigger firing now on the business clock (no `Time`: the job uses its invocation's now). */
export function fireTimer(adminUrl: string, TriggerName: 'nightly' | 'minutely') {
  return callerFor(adminUrl, null).raw('jobs', { Type: 'Timer', TriggerName }) as Promise<{ ok: boolean; data: Record<string, never> }>
}

/** The payer pays (or fails to) and WeChat Pay notifies `times` times (POST /emulator/pay/notify). */
export async function payNotify(emulatorUrl: string, outTradeNo: string, options: { times?: number; result?: 'SUCCESS' | 'FAIL' } = {}) {
  const response = await fetch(`${emulatorUrl}/emulator/pay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, result: options.result ?? 'SUCCESS', times: options.times ?? 1 }),
  })
  return { status: response.status, body: (await response.json()) as { answers?: { ok: boolean; result?: unknown }[]; error?: { code: string } } }
}

export interface PayRefund {
  /** when WeChat Pay refunded, on the business clock (ms) */
  at: number
  outTradeNo: string
  outRefundNo: string
  refundFee: number
}

export async function payRefunds(emulatorUrl: string): Promise<PayRefund[]> {
  return ((await (await fetch(`${emulatorUrl}/emulator/pay/refunds`)).json()) as { refunds: PayRefund[] }).refunds
}

type Answer = { ok: true } | { ok: false; error: { code: string; reason?: string } }

/** A refusal with this code; when errors carry a stable `reason`, that reason too. */
export function expectRefused(answer: Answer, code: string, reason?: string): void {
  expect(answer).toMatchObject({ ok: false, error: { code } })
  if (reason && !answer.ok && answer.error.reason !== undefined) expect(answer.error.reason).toBe(reason)
}

/** The expiry (ms) a counter token carries (`<base64url JSON { m, s, e }>.<signature>`). */
export function counterTokenExpiry(token: string): number {
  return (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { e: number }).e
}

interface SweepRun {
  status: 'running' | 'done'
  items: number
  errors: number
  outcomes: Record<string, number>
}

export interface SweepReport {
  ok: boolean
  error?: { code: string }
  /** a named count of the minute's run of a sweep (`orders-unpaid`, `released`), 0 when it had nothing to do */
  count(sweep: string, outcome: string): number
  /** the sweep's run this minute is done (or it had nothing to do) */
  complete(sweep: string): boolean
}

/** The minute timer (or another trigger name, or a caller with a WeChat user) and what its sweeps did. */
export async function sweepNow(adminUrl: string, openid: string | null = null, trigger = 'minutely'): Promise<SweepReport> {
  const answer = (await callerFor(adminUrl, openid).raw('jobs', { Type: 'Timer', TriggerName: trigger, Time: new Date().toISOString() })) as {
    ok: boolean
    error?: { code: string }
    data?: { sweeps: Record<string, SweepRun | null> }
  }
  const run = (sweep: string) => {
    if (!answer.data || !(sweep in answer.data.sweeps)) throw new Error(`no sweep ${sweep} in ${JSON.stringify(answer)}`)
    return answer.data.sweeps[sweep]
  }
  return {
    ok: answer.ok,
    error: answer.error,
    count: (sweep, outcome) => run(sweep)?.outcomes[outcome] ?? 0,
    complete: (sweep) => (run(sweep)?.status ?? 'done') === 'done',
  }
}
