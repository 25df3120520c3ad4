import fc from 'fast-check'
import { payableAmount, purchaseGrowth, purchasePoints, quotePurchase } from '../../../domain/loyalty/pricing'

const fen = fc.integer({ min: 0, max: 100_000_000 })

describe('checkout arithmetic (integer fen, defined once)', () => {
  test('the tier price rounds down to the fen: the member never pays a fraction more', () => {
    expect(payableAmount(19900, 95)).toBe(18905)
    expect(payableAmount(999, 95)).toBe(949) // 949.05
    expect(payableAmount(1, 90)).toBe(0)
    expect(payableAmount(12345, 100)).toBe(12345)
  })

  test('points: ⌊payable in yuan × rate × tier multiplier⌋, with decimal rates exact', () => {
    expect(purchasePoints(18905, 1, 1.2)).toBe(226)
    expect(purchasePoints(10000, 1, 1.2)).toBe(120) // 1.2 is not 1.19999…
    expect(purchasePoints(99, 1, 1)).toBe(0)
    expect(purchasePoints(33300, 1.5, 1.1)).toBe(549) // 333 × 1.65 = 549.45
    expect(purchaseGrowth(18905, 1)).toBe(189)
  })

  test('property: payable is between 0 and the list price, and discount + payable = list', () => {
    fc.assert(
      fc.property(fen, fc.integer({ min: 50, max: 100 }), (list, percent) => {
        const quote = quotePurchase(list, { discountPercent: percent, pointsMultiplier: 1 }, { pointsPerYuan: 1, growthPerYuan: 1 })
        return quote.payable >= 0 && quote.payable <= list && quote.payable + quote.discount === list && Number.isInteger(quote.payable)
      }),
    )
  })

  test('property: points never exceed the exact product and are never negative; more money never earns fewer points', () => {
    fc.assert(
      fc.property(fen, fen, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 100, max: 300 }), (a, b, rate, multiplierPercent) => {
        const multiplier = multiplierPercent / 100
        const [low, high] = a <= b ? [a, b] : [b, a]
        const points = purchasePoints(low, rate, multiplier)
        return points >= 0 && points <= (low / 100) * rate * multiplier + 1e-6 && purchasePoints(high, rate, multiplier) >= points
      }),
    )
  })

  test('amounts that are not integer fen are refused', () => {
    expect(() => payableAmount(10.5, 95)).toThrow(/integer fen/)
    expect(() => purchasePoints(-1, 1, 1)).toThrow(/integer fen/)
  })
})
