import { MEMBER_CODE_TTL_MS, signMemberCode, verifyMemberCode } from '../../../domain/membership/member-code'

const secret = 'test-secret-at-least-16-chars'
const now = Date.parse('2026-11-25T02:00:00.000Z')

describe('member code', () => {
  test('a fresh code verifies and names its member', () => {
    const { code, expiresAt } = signMemberCode('10000001', now, secret)
    expect(expiresAt).toBe(now + MEMBER_CODE_TTL_MS)
    expect(verifyMemberCode(code, now + 1_000, secret)).toEqual({ ok: true, code, memberNo: '10000001', expiresAt })
    expect(verifyMemberCode(`\t${code}\r\n`, now + 1_000, secret)).toEqual({ ok: true, code, memberNo: '10000001', expiresAt })
  })

  test('a code is refused from the moment it expires (60 s)', () => {
    const { code } = signMemberCode('10000001', now, secret)
    expect(verifyMemberCode(code, now + 59_999, secret).ok).toBe(true)
    expect(verifyMemberCode(code, now + 60_000, secret)).toEqual({ ok: false, reason: 'expired' })
  })

  test('changing the member number, the expiry or the signature breaks the code', () => {
    const { code } = signMemberCode('10000001', now, secret)
    const [memberNo, expiry, signature] = code.split('.')
    expect(verifyMemberCode(`10000002.${expiry}.${signature}`, now, secret)).toEqual({ ok: false, reason: 'bad-signature' })
    const later = (parseInt(expiry, 36) + 3_600_000).toString(36)
    expect(verifyMemberCode(`${memberNo}.${later}.${signature}`, now, secret)).toEqual({ ok: false, reason: 'bad-signature' })
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A')
    expect(verifyMemberCode(`${memberNo}.${expiry}.${flipped}`, now, secret)).toEqual({ ok: false, reason: 'bad-signature' })
  })

  test('a code signed with another secret is refused', () => {
    const { code } = signMemberCode('10000001', now, 'another-secret-of-16-chars')
    expect(verifyMemberCode(code, now, secret)).toEqual({ ok: false, reason: 'bad-signature' })
  })

  test('garbage is malformed, not a crash', () => {
    for (const garbage of ['', 'abc', '10000001..', '10000001.zz.!!', 'x'.repeat(200)]) {
      expect(verifyMemberCode(garbage, now, secret)).toEqual({ ok: false, reason: 'malformed' })
    }
  })

  test('two codes asked for in the same second differ, so a used code never comes back on refresh', () => {
    expect(signMemberCode('10000001', now, secret).code).not.toBe(signMemberCode('10000001', now + 1, secret).code)
  })

  test('the code stays short enough for a small QR code', () => {
    expect(signMemberCode('10000001', now, secret).code.length).toBeLessThanOrEqual(40)
  })
})
