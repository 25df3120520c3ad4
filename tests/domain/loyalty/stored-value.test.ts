import fc from 'fast-check'
import type { StoredValueRules } from '../../../domain/shared/config'
import { AppError } from '../../../domain/shared/errors'
import { bonusFor, checkTopupAmount, formatFen, isOutTradeNo, topupEntry, topupEntryId, topupOptions } from '../../../domain/loyalty/stored-value'

const rules: StoredValueRules = {
  _id: 'storedValue',
  minAmount: 1000,
  maxAmount: 5_000_000,
  bonusRules: [
    { minAmount: 50_000, bonus: 5_000 },
    { minAmount: 100_000, bonus: 15_000 },
    { minAmount: 200_000, bonus: 40_000 },
  ],
  presets: [10_000, 50_000, 100_000, 200_000],
  onlinePayment: { passwordAbove: 20000, maxFailures: 5 },
}

function refusal(run: () => void): AppError {
  try {
    run()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('bonus rule (充值赠送): the highest rule whose minAmount the amount reaches', () => {
  test.each([
    [49_999, 0],
    [50_000, 5_000],
    [99_999, 5_000],
    [100_000, 15_000],
    [199_999, 15_000],
    [200_000, 40_000],
    [5_000_000, 40_000],
    [1, 0],
  ])('%i fen earns a bonus of %i fen', (amount, bonus) => {
    expect(bonusFor(amount, rules)).toBe(bonus)
  })

  test('the order the rules are listed in does not matter', () => {
    const shuffled = { bonusRules: [...rules.bonusRules].reverse() }
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (amount) => bonusFor(amount, shuffled) === bonusFor(amount, rules)))
  })

  test('no rules: never a bonus', () => {
    expect(bonusFor(10_000_000, { bonusRules: [] })).toBe(0)
  })

  test('property: the bonus never falls as the amount rises, and comes from a rule the amount reached', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (amount, more) => {
        const bonus = bonusFor(amount, rules)
        const reached = rules.bonusRules.filter((rule) => rule.minAmount <= amount)
        expect(bonus === 0 ? reached.length === 0 : reached.some((rule) => rule.bonus === bonus)).toBe(true)
        expect(bonusFor(amount + more, rules)).toBeGreaterThanOrEqual(bonus)
      }),
    )
  })
})

describe('top-up limits, in whole fen', () => {
  test('the minimum and the maximum themselves are allowed', () => {
    expect(() => checkTopupAmount(1000, rules)).not.toThrow()
    expect(() => checkTopupAmount(5_000_000, rules)).not.toThrow()
  })

  test('one fen under the minimum or over the maximum is INVALID_ARGUMENT on the amount field', () => {
    for (const amount of [999, 5_000_001]) {
      const error = refusal(() => checkTopupAmount(amount, rules))
      expect(error.toJSON()).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'TOPUP_AMOUNT_OUT_OF_RANGE' })
      expect(error.fields?.map((field) => field.path)).toEqual(['amount'])
    }
  })

  test('fractions of a fen, zero and negative amounts are refused', () => {
    for (const amount of [1000.5, 0, -1000, Number.NaN]) expect(refusal(() => checkTopupAmount(amount, rules)).code).toBe('INVALID_ARGUMENT')
  })

  test('property: an integer amount is accepted exactly when it lies within the limits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 6_000_000 }), (amount) => {
        const inside = amount >= rules.minAmount && amount <= rules.maxAmount
        let accepted = true
        try {
          checkTopupAmount(amount, rules)
        } catch {
          accepted = false
        }
        return accepted === inside
      }),
    )
  })
})

describe('top-up options and entries', () => {
  test('presets come sorted, each with the bonus it earns; presets outside the limits are left out', () => {
    expect(topupOptions({ ...rules, presets: [200_000, 500, 10_000, 100_000, 10_000, 9_000_000] })).toEqual([
      { amount: 10_000, bonus: 0 },
      { amount: 100_000, bonus: 15_000 },
      { amount: 200_000, bonus: 40_000 },
    ])
  })

  test('a paid top-up is one stored-value entry of amount + bonus, no points, keyed by the order', () => {
    const createdAt = new Date('2026-03-01T02:00:00Z')
    const entry = topupEntry({ orderId: 'tp123456', memberId: 'm1', amount: 50_000, bonus: 5_000, requestId: 'req-12345678', businessDay: '2026-03-01', createdAt, transactionId: 'tx1' })
    expect(entry).toMatchObject({ _id: topupEntryId('tp123456'), kind: 'topup', points: 0, growth: 0, balance: 55_000, memberId: 'm1' })
    expect(entry.detail).toMatchObject({ amount: 50_000, bonus: 5_000, channel: 'wechat' })
    expect(entry.description).toBe('微信充值 ¥500.00（赠 ¥50.00）')
  })

  test('fen are shown as yuan with two decimals', () => {
    expect(formatFen(0)).toBe('¥0.00')
    expect(formatFen(1805)).toBe('¥18.05')
    expect(formatFen(123_456_789)).toBe('¥1,234,567.89')
    expect(formatFen(-250)).toBe('-¥2.50')
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e10 }), (fen) => Math.round(Number(formatFen(fen).slice(1).replace(/,/g, '')) * 100) === fen))
  })

  test('WeChat out_trade_no: 6 to 32 characters of letters, digits, _ - | *', () => {
    expect(isOutTradeNo('tp' + 'a'.repeat(30))).toBe(true)
    expect(isOutTradeNo('tp' + 'a'.repeat(31))).toBe(false)
    expect(isOutTradeNo('abc12')).toBe(false)
    expect(isOutTradeNo('tp:123456')).toBe(false)
  })
})
