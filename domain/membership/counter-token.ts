/**
 * After a clerk scans a member code (single use), the counter works with this token for a
 * while: it names the member and the clerk, expires, and is signed so it cannot be altered.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { canonicalCode } from '../shared/codes'

export const COUNTER_TOKEN_TTL_MS = 10 * 60_000

export interface CounterGrant {
  memberId: string
  staffId: string
  expiresAt: number
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', `counter:${secret}`).update(payload).digest('base64url')
}

export function issueCounterToken(memberId: string, staffId: string, now: number, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ m: memberId, s: staffId, e: now + COUNTER_TOKEN_TTL_MS })).toString('base64url')
  return `${payload}.${sign(payload, secret)}`
}

/** The grant, or null when the token is forged, altered, expired or for another clerk. Read in its canonical form (codes.ts). */
export function readCounterToken(raw: string, staffId: string, now: number, secret: string): CounterGrant | null {
  const [payload, signature, extra] = canonicalCode(raw).split('.')
  if (!payload || !signature || extra !== undefined) return null
  const expected = Buffer.from(sign(payload, secret))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  try {
    const { m, s, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { m?: unknown; s?: unknown; e?: unknown }
    if (typeof m !== 'string' || typeof s !== 'string' || typeof e !== 'number') return null
    if (s !== staffId || now >= e) return null
    return { memberId: m, staffId: s, expiresAt: e }
  } catch {
    return null
  }
}
