/**
 * Short-lived signed codes a clerk scans: a coupon's own code (CP) and a pickup code (PU).
 * `<kind>.<subject, base64url>.<expiry ms, base36>.<signature>`; the member code has its own,
 * shorter, numeric form (member-code.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { canonicalCode } from './codes'
import { AppError } from './errors'

export type CodeKind = 'CP' | 'PU'

export const SIGNED_CODE_TTL_MS = 5 * 60_000

function signature(kind: CodeKind, body: string, secret: string): string {
  return createHmac('sha256', `${kind}:${secret}`).update(body).digest('base64url').slice(0, 16)
}

export function signCode(kind: CodeKind, subject: string, now: number, secret: string, ttlMs = SIGNED_CODE_TTL_MS) {
  const expiresAt = now + ttlMs
  const body = `${Buffer.from(subject).toString('base64url')}.${expiresAt.toString(36)}`
  return { code: `${kind}.${body}.${signature(kind, body, secret)}`, expiresAt }
}

/** `code` is the canonical form (codes.ts): remember this one, never the raw input. */
export type SignedCodeCheck = { ok: true; code: string; subject: string } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' }

export function verifyCode(kind: CodeKind, raw: string, now: number, secret: string): SignedCodeCheck {
  const code = canonicalCode(raw)
  const match = /^([A-Z]{2})\.([A-Za-z0-9_-]+)\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16})$/.exec(code)
  if (!match || match[1] !== kind) return { ok: false, reason: 'malformed' }
  const body = `${match[2]}.${match[3]}`
  const expected = Buffer.from(signature(kind, body, secret))
  const given = Buffer.from(match[4])
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' }
  if (now >= parseInt(match[3], 36)) return { ok: false, reason: 'expired' }
  return { ok: true, code, subject: Buffer.from(match[2], 'base64url').toString('utf8') }
}

/** The clerk-facing error for a code that did not verify. */
export function signedCodeError(reason: 'malformed' | 'bad-signature' | 'expired', what: string): AppError {
  if (reason === 'expired') return new AppError('CODE_EXPIRED', `${what}已过期，请顾客刷新后重新出示`)
  return new AppError('CODE_INVALID', `${what}无效，请重新扫描`, [{ path: 'code', message: reason }])
}
