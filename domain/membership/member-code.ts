/**
 * The member code a clerk scans: `<memberNo>.<expiry in unix ms, base36>.<signature>`.
 * Short enough for a small QR code, signed so it cannot be forged, and short-lived so a
 * screenshot stops working within a minute.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { canonicalCode } from '../shared/codes'

export const MEMBER_CODE_TTL_MS = 60_000
/** The card page asks for a new code this long before the old one expires. */
export const MEMBER_CODE_REFRESH_MARGIN_MS = 10_000

const SIGNATURE_LENGTH = 16

export type MemberCodeCheck =
  /** `code` is the canonical form (codes.ts): remember this one, never the raw input */
  { ok: true; code: string; memberNo: string; expiresAt: number } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' }

function signature(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, SIGNATURE_LENGTH)
}

export function signMemberCode(memberNo: string, now: number, secret: string, ttlMs = MEMBER_CODE_TTL_MS) {
  if (!/^\d{6,16}$/.test(memberNo)) throw new Error(`memberNo must be 6-16 digits, got ${memberNo}`)
  if (secret.length < 16) throw new Error('member code secret must be at least 16 characters')
  // Millisecond expiry: every refresh is a new code, so a code used at the counter never comes back.
  const expiresAt = now + ttlMs
  const payload = `${memberNo}.${expiresAt.toString(36)}`
  return { code: `${payload}.${signature(payload, secret)}`, expiresAt }
}

export function verifyMemberCode(raw: string, now: number, secret: string): MemberCodeCheck {
  const code = canonicalCode(raw)
  const match = /^(\d{6,16})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]+)$/.exec(code)
  if (!match) return { ok: false, reason: 'malformed' }
  const [, memberNo, expiry, given] = match
  const expected = signature(`${memberNo}.${expiry}`, secret)
  const givenBytes = Buffer.from(given)
  const expectedBytes = Buffer.from(expected)
  if (givenBytes.length !== expectedBytes.length || !timingSafeEqual(givenBytes, expectedBytes)) {
    return { ok: false, reason: 'bad-signature' }
  }
  const expiresAt = parseInt(expiry, 36)
  if (now >= expiresAt) return { ok: false, reason: 'expired' }
  return { ok: true, code, memberNo, expiresAt }
}
