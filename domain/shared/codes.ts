/**
 * The one canonical form of every code a clerk scans or types: member codes, coupon codes (CP),
 * pickup codes (PU) and counter tokens. A scanner may add a newline, a keyboard wedge a tab or
 * CR LF, a paste a space or a zero-width character; none of these may make a used code new.
 *
 * Rule, for every kind: drop whitespace and invisible format characters at both ends; nothing
 * else changes. There is no case folding: every kind carries a base64url signature (and member
 * codes a lowercase base36 expiry) over the exact characters, so case is part of the code, and a
 * code that differs in case is a different (unsigned) string that fails verification.
 *
 * Each verifier (member-code.ts, signed-code.ts, counter-token.ts) canonicalises the raw input
 * with this function first and returns the canonical code; callers remember that returned code
 * (used_member_codes, log ids), never the raw input, so what is verified is what is remembered.
 */

/** Whitespace (incl. U+3000, NBSP), BOM and zero-width characters that a scan or paste can carry. */
const EDGES = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g

export function canonicalCode(raw: string): string {
  return raw.replace(EDGES, '')
}
