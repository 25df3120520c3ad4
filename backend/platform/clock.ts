/**
 * "Now" for business rules: timers, code lifetimes, counter tokens, coupon validity, unpaid-order
 * release, points lots and business days. In CloudBase it is real time; the local emulator passes
 * its business clock with each invocation (BUSINESS_CLOCK_OFFSET_MS), so tests can move it.
 * Platform limits (an invocation's own deadline, cache lifetimes) stay on Date.now().
 */
export function businessNow(): Date {
  const offset = Number(process.env.BUSINESS_CLOCK_OFFSET_MS ?? 0)
  return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0))
}
