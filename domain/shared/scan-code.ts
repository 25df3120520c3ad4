/**
 * The codes a clerk scans or types: the member code (会员码), a coupon's code (券码) and a pickup
 * code (提货码). Each is 18 digits — a kind digit and 17 random digits — registered on the server
 * with what it names and when it expires (backend/platform/scan-codes.ts), so it carries no
 * signature and stays short: the QR is the smallest version, the barcode half as wide (Code 128
 * set C), and a clerk can type it in groups of four.
 *
 * Guessing: 10^17 codes per kind. With 10^6 codes of a kind alive at one moment (a busy brand's
 * minute, far above ours), a random guess hits one with odds 10^-11; a clerk account is refused
 * after FAILED_SCANS_PER_MINUTE failures in a minute, so a thousand clerk accounts guessing day and
 * night make 1.4 × 10^7 guesses a day and expect a hit once in 7,000 days on the member codes,
 * each hit worth a minute of someone's card at a store the attacker works in.
 */
import { randomInt } from 'node:crypto'
import { canonicalScanCode } from './codes'

export type ScanCodeKind = 'member' | 'coupon' | 'pickup'

export const SCAN_CODE_LENGTH = 18
/** The first digit names the kind; none is 1, which starts WeChat Pay's 18-digit payment codes. */
const KIND_DIGIT: Record<ScanCodeKind, string> = { member: '8', coupon: '7', pickup: '9' }

/** A clerk account may fail this many codes in a minute (of the right shape, shown to no one); the next is refused until the minute ends. */
export const FAILED_SCANS_PER_MINUTE = 10

export const SCAN_CODE_TTL_MS: Record<ScanCodeKind, number> = { member: 60_000, coupon: 5 * 60_000, pickup: 5 * 60_000 }

export function newScanCode(kind: ScanCodeKind): string {
  let digits = KIND_DIGIT[kind]
  while (digits.length < SCAN_CODE_LENGTH) digits += String(randomInt(10))
  return digits
}

export type ScanCodeParse = { ok: true; code: string } | { ok: false }

/** A code of `kind` in its canonical form (codes.ts), or not one at all (wrong length, other characters, another kind's digit). */
export function parseScanCode(kind: ScanCodeKind, raw: string): ScanCodeParse {
  const code = canonicalScanCode(raw)
  return code.length === SCAN_CODE_LENGTH && /^\d+$/.test(code) && code[0] === KIND_DIGIT[kind] ? { ok: true, code } : { ok: false }
}
