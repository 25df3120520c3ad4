/**
 * A business day at the counter in figures (门店台账): what each line moved and the day's totals,
 * per store and per clerk. Pure: the backend reads the ledger entries of the store and day and
 * passes them here, so the totals are sums of ledger entries and nothing else.
 *
 * Money is split by how it moved: 现金 and 微信 are money taken (purchases and top-ups paid that
 * way, less refunds of such purchases); 储值 is stored value spent on purchases (less refunds); a
 * top-up's bonus is credited stored value, never money taken. Points issued are net of refunds;
 * adjustments are their own figure.
 */
import type { CounterTotals } from '../contract/views'
import type { LedgerEntry } from '../shared/ledger-entry'

export type CounterPayMethod = 'cash' | 'wechat' | 'balance'
const METHODS: readonly CounterPayMethod[] = ['cash', 'wechat', 'balance']

/** What one money or points entry moved at the counter. */
export interface CounterLine {
  action: 'purchase' | 'refund' | 'topup' | 'adjust'
  /** how the money moved (a refund: as the purchase it reverses was paid); null for adjustments */
  payMethod: CounterPayMethod | null
  /** fen: a purchase's payable, a refund's (negative), a top-up's amount paid; 0 for adjustments */
  amount: number
  /** fen credited free with a top-up */
  bonus: number
  points: number
}

function detail(entry: LedgerEntry): Record<string, unknown> {
  return (entry.detail as Record<string, unknown> | undefined) ?? {}
}

function method(value: unknown): CounterPayMethod | null {
  return METHODS.includes(value as CounterPayMethod) ? (value as CounterPayMethod) : null
}

/**
 * The line of a ledger entry; `paidBy` finds how a refunded purchase was paid when the refund
 * does not say (refunds recorded before they named it).
 */
export function counterLine(entry: LedgerEntry, paidBy: (purchaseId: string) => CounterPayMethod | null): CounterLine {
  const own = detail(entry)
  switch (entry.kind) {
    case 'purchase':
      return { action: 'purchase', payMethod: method(own.payMethod) ?? 'cash', amount: Number(own.payable ?? 0), bonus: 0, points: entry.points }
    case 'refund':
      return {
        action: 'refund',
        payMethod: method(own.payMethod) ?? (entry.reverses ? paidBy(entry.reverses) : null) ?? (entry.balance > 0 ? 'balance' : 'cash'),
        amount: -Number(own.payable ?? 0),
        bonus: 0,
        points: entry.points,
      }
    case 'topup': {
      const bonus = Number(own.bonus ?? 0)
      return { action: 'topup', payMethod: method(own.channel) ?? 'cash', amount: Number(own.amount ?? entry.balance - bonus), bonus, points: 0 }
    }
    default:
      return { action: 'adjust', payMethod: null, amount: 0, bonus: 0, points: entry.points }
  }
}

export function emptyTotals(): CounterTotals {
  return { purchases: 0, refunds: 0, salesFen: 0, refundFen: 0, cashFen: 0, wechatFen: 0, balanceSpentFen: 0, topupFen: 0, topupBonusFen: 0, pointsIssued: 0, pointsAdjusted: 0 }
}

/** Adds one line to the totals. */
export function addLine(totals: CounterTotals, line: CounterLine): CounterTotals {
  const next = { ...totals }
  if (line.action === 'purchase') {
    next.purchases += 1
    next.salesFen += line.amount
  } else if (line.action === 'refund') {
    next.refunds += 1
    next.refundFen += -line.amount
  } else if (line.action === 'topup') {
    next.topupFen += line.amount
    next.topupBonusFen += line.bonus
  }
  if (line.action === 'adjust') next.pointsAdjusted += line.points
  else next.pointsIssued += line.points
  if (line.payMethod === 'cash') next.cashFen += line.amount
  else if (line.payMethod === 'wechat') next.wechatFen += line.amount
  else if (line.payMethod === 'balance') next.balanceSpentFen += line.amount
  return next
}

export function totalsOf(lines: CounterLine[]): CounterTotals {
  return lines.reduce(addLine, emptyTotals())
}
