/**
 * The server's time as the app last heard it: every function answer carries `serverTime`, and
 * countdowns (秒杀 start, pay-by, code lifetimes) count from it rather than from the phone's
 * clock, which may be wrong or set on purpose.
 */
let offsetMs = 0

export function noteServerTime(serverTime: unknown, receivedAt = Date.now()): void {
  if (typeof serverTime === 'number' && Number.isFinite(serverTime)) offsetMs = serverTime - receivedAt
}

export function serverNow(): number {
  return Date.now() + offsetMs
}

/** How far the server's clock is ahead of the phone's (for native components that read Date.now()). */
export function serverOffsetMs(): number {
  return offsetMs
}
