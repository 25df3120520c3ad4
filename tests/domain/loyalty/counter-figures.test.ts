import { counterLine, totalsOf } from '../../../domain/loyalty/counter-figures'
import type { LedgerEntry } from '../../../domain/shared/ledger-entry'

function entry(overrides: Partial<LedgerEntry>): LedgerEntry {
  return {
    _id: 'e1',
    memberId: 'm_1',
    kind: 'purchase',
    points: 0,
    balance: 0,
    growth: 0,
    requestId: 'req_1',
    businessDay: '2031-05-20',
    createdAt: new Date('2031-05-20T02:00:00Z'),
    description: '',
    ...overrides,
  } as LedgerEntry
}

const none = () => null

describe('counter lines and totals (门店台账)', () => {
  test('a purchase by method, a top-up with its bonus apart, an adjustment with no money', () => {
    expect(counterLine(entry({ kind: 'purchase', points: 95, detail: { payable: 9500, payMethod: 'wechat' } }), none)).toEqual({
      action: 'purchase',
      payMethod: 'wechat',
      amount: 9500,
      bonus: 0,
      points: 95,
    })
    expect(counterLine(entry({ kind: 'topup', balance: 55000, detail: { amount: 50000, bonus: 5000, channel: 'cash' } }), none)).toEqual({
      action: 'topup',
      payMethod: 'cash',
      amount: 50000,
      bonus: 5000,
      points: 0,
    })
    expect(counterLine(entry({ kind: 'adjust', points: -30, detail: { reason: '测试' } }), none)).toEqual({ action: 'adjust', payMethod: null, amount: 0, bonus: 0, points: -30 })
  })

  test('a refund goes back as its purchase was paid: named on the refund, else read from the purchase, else stored value when it gave some back', () => {
    const refund = (detail: Record<string, unknown>, balance = 0) => entry({ kind: 'refund', points: -95, balance, reverses: 'p1', detail })
    expect(counterLine(refund({ payable: 9500, payMethod: 'wechat' }), () => 'cash').payMethod).toBe('wechat')
    expect(counterLine(refund({ payable: 9500 }), (id) => (id === 'p1' ? 'wechat' : null)).payMethod).toBe('wechat')
    expect(counterLine(refund({ payable: 9500 }, 9500), none).payMethod).toBe('balance')
    expect(counterLine(refund({ payable: 9500 }), none)).toEqual({ action: 'refund', payMethod: 'cash', amount: -9500, bonus: 0, points: -95 })
  })

  test('totals: money taken by 现金 and 微信 net of refunds, stored value spent apart, points net of refunds and adjustments apart', () => {
    const lines = [
      counterLine(entry({ kind: 'purchase', points: 100, detail: { payable: 10000, payMethod: 'cash' } }), none),
      counterLine(entry({ kind: 'purchase', points: 50, detail: { payable: 5000, payMethod: 'wechat' } }), none),
      counterLine(entry({ kind: 'purchase', points: 30, balance: -3000, detail: { payable: 3000, payMethod: 'balance' } }), none),
      counterLine(entry({ kind: 'refund', points: -50, detail: { payable: 5000, payMethod: 'wechat' } }), none),
      counterLine(entry({ kind: 'topup', balance: 55000, detail: { amount: 50000, bonus: 5000, channel: 'cash' } }), none),
      counterLine(entry({ kind: 'adjust', points: 20 }), none),
    ]
    expect(totalsOf(lines)).toEqual({
      purchases: 3,
      refunds: 1,
      salesFen: 18000,
      refundFen: 5000,
      cashFen: 60000,
      wechatFen: 0,
      balanceSpentFen: 3000,
      topupFen: 50000,
      topupBonusFen: 5000,
      pointsIssued: 130,
      pointsAdjusted: 20,
    })
    expect(totalsOf([])).toMatchObject({ purchases: 0, cashFen: 0, pointsIssued: 0 })
  })
})
