/**
 * The emulator's business clock: what "now" is for the functions it runs. Tests set and advance
 * it (`/emulator/clock`) to reach expiry, code lifetimes and unpaid-order release without waiting;
 * each invocation receives it the way it receives the caller's identity (BUSINESS_CLOCK_OFFSET_MS
 * in its environment). Platform limits (an invocation's deadline) stay on real time.
 */
export class BusinessClock {
  private offset = 0

  get offsetMs(): number {
    return this.offset
  }

  now(): number {
    return Date.now() + this.offset
  }

  set(instant: number): void {
    this.offset = instant - Date.now()
  }

  advance(ms: number): void {
    this.offset += ms
  }

  reset(): void {
    this.offset = 0
  }

  view() {
    return { now: new Date(this.now()).toISOString(), nowMs: this.now(), offsetMs: this.offset }
  }
}

const LIMIT_MS = 200 * 365 * 86_400_000

/** Applies a `POST /emulator/clock` body: `{ set: ms | ISO }`, `{ advanceMs }` or `{ reset: true }`. */
export function changeClock(clock: BusinessClock, body: Record<string, unknown>): string | null {
  if (body.reset === true) {
    clock.reset()
    return null
  }
  if (body.set !== undefined) {
    const instant = typeof body.set === 'number' ? body.set : typeof body.set === 'string' ? Date.parse(body.set) : NaN
    if (!Number.isFinite(instant) || Math.abs(instant - Date.now()) > LIMIT_MS) return 'set must be an instant (ms or ISO) within 200 years of now'
    clock.set(instant)
    return null
  }
  if (typeof body.advanceMs === 'number' && Number.isFinite(body.advanceMs) && Math.abs(clock.offsetMs + body.advanceMs) <= LIMIT_MS) {
    clock.advance(body.advanceMs)
    return null
  }
  return 'send { set }, { advanceMs } or { reset: true }'
}
