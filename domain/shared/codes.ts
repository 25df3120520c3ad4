/**
 * The canonical forms of codes that reach the counter. A scanner may add a newline, a keyboard
 * wedge a tab or CR LF, a clerk types spaces between the groups of four she reads, a paste carries
 * a zero-width character, a Chinese keyboard types full-width digits; none of these may make a
 * used code new. Each reader canonicalises the raw input first and remembers only what it returns
 * (the scan code's registry `_id`, log ids), so what is checked is what is remembered.
 */

/** Whitespace (incl. U+3000, NBSP), BOM and zero-width characters that a scan, a keyboard or a paste can carry. */
const IGNORED = '\\s\\u200B-\\u200D\\u2060\\uFEFF'
const ANYWHERE = new RegExp(`[${IGNORED}]`, 'g')
const EDGES = new RegExp(`^[${IGNORED}]+|[${IGNORED}]+$`, 'g')
const FULL_WIDTH_DIGIT = /[０-９]/g

/** Member, coupon and pickup codes (all digits): ignored characters dropped anywhere, full-width digits made ASCII; nothing else changes. */
export function canonicalScanCode(raw: string): string {
  return raw.replace(ANYWHERE, '').replace(FULL_WIDTH_DIGIT, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
}

/**
 * The counter token (signed, base64url, case is part of it): ignored characters dropped at both
 * ends only, so a token that differs anywhere inside fails its signature.
 */
export function canonicalCode(raw: string): string {
  return raw.replace(EDGES, '')
}
