import { newScanCode, parseScanCode, SCAN_CODE_LENGTH } from '../../../domain/shared/scan-code'

describe('scan codes', () => {
  test('each kind is 18 digits under its own first digit, and a thousand drawn are all different', () => {
    for (const [kind, digit] of [
      ['member', '8'],
      ['coupon', '7'],
      ['pickup', '9'],
    ] as const) {
      const drawn = Array.from({ length: 1000 }, () => newScanCode(kind))
      expect(drawn.every((code) => code.length === SCAN_CODE_LENGTH && /^\d+$/.test(code) && code[0] === digit)).toBe(true)
      expect(new Set(drawn).size).toBe(1000)
    }
  })

  test('the random digits are spread evenly (no digit drawn less than half as often as another)', () => {
    const counts = new Array(10).fill(0)
    for (let n = 0; n < 2000; n++) for (const digit of newScanCode('member').slice(1)) counts[Number(digit)]++
    expect(Math.min(...counts) * 2).toBeGreaterThan(Math.max(...counts))
  })

  test('typed in groups, with full-width digits or a newline it is the same code; other kinds, lengths and characters are not codes', () => {
    const code = newScanCode('coupon')
    const grouped = code.replace(/(\d{4})(?=\d)/g, '$1 ')
    expect(parseScanCode('coupon', `${grouped}\n`)).toEqual({ ok: true, code })
    expect(
      parseScanCode(
        'coupon',
        code.replace(/\d/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0)),
      ),
    ).toEqual({ ok: true, code })
    expect(parseScanCode('member', code)).toEqual({ ok: false })
    expect(parseScanCode('coupon', code.slice(0, 17))).toEqual({ ok: false })
    expect(parseScanCode('coupon', `${code}0`)).toEqual({ ok: false })
    expect(parseScanCode('coupon', `${code.slice(0, 9)}-${code.slice(9)}`)).toEqual({ ok: false })
  })
})
