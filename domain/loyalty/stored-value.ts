/**
 * 储值 (stored value) rules, pure: which bonus a top-up earns, which amounts are allowed, and
 * the ledger entry a paid top-up posts. Money is integer fen everywhere (1800 is ¥18.00).
 * No Node imports here: the mini-program shows the same bonus the server will give.
 */
import type { StoredValueRules } from '../shared/config'
import type { TopupOption } from '../contract'
import { AppError } from '../shared/errors'
import type { LedgerEntry } from '../shared/ledger-entry'

/** ¥1,234.50 for 123450 fen. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  // grouped by hand: toLocaleString is not dependable in mini-program JS engines
  const yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`
}

/**
 * The bonus of the highest rule whose minAmount the amount reaches (充500送50); 0 below every rule.
 * "Highest" means the greatest minAmount, whatever order the rules are listed in.
 */
export function bonusFor(amount: number, rules: Pick<StoredValueRules, 'bonusRules'>): number {
  let best: { minAmount: number; bonus: number } | null = null
  for (const rule of rules.bonusRules) {
    if (rule.minAmount <= amount && (!best || rule.minAmount > best.minAmount)) best = rule
  }
  return best ? best.bonus : 0
}

/** Refuses an amount outside the brand's limits, naming the field. Amounts are whole fen. */
export function checkTopupAmount(amount: number, rules: Pick<StoredValueRules, 'minAmount' | 'maxAmount'>): void {
  const refuse = (message: string) => new AppError('TOPUP_AMOUNT_OUT_OF_RANGE', message, [{ path: 'amount', message }])
  if (!Number.isSafeInteger(amount) || amount <= 0) throw refuse('充值金额必须是正的整数（分）')
  if (amount < rules.minAmount) throw refuse(`单次充值不能少于 ${formatFen(rules.minAmount)}`)
  if (amount > rules.maxAmount) throw refuse(`单次充值不能超过 ${formatFen(rules.maxAmount)}`)
}

/** The preset buttons of the top-up page with their bonus; presets outside the limits are left out. */
export function topupOptions(rules: StoredValueRules): TopupOption[] {
  return [...new Set(rules.presets)]
    .filter((amount) => amount >= rules.minAmount && amount <= rules.maxAmount)
    .sort((a, b) => a - b)
    .map((amount) => ({ amount, bonus: bonusFor(amount, rules) }))
}

/** One ledger entry per paid top-up order: a duplicate payment notification collides on it. */
export function topupEntryId(orderId: string): string {
  return `topup:${orderId}`
}

export function topupDescription(amount: number, bonus: number): string {
  return bonus > 0 ? `微信充值 ${formatFen(amount)}（赠 ${formatFen(bonus)}）` : `微信充值 ${formatFen(amount)}`
}

/** WeChat Pay's out_trade_no: 6–32 characters of letters, digits, _ - | *. */
export function isOutTradeNo(value: string): boolean {
  return /^[A-Za-z0-9_\-|*]{6,32}$/.test(value)
}

export interface TopupEntryInput {
  orderId: string
  memberId: string
  amount: number
  bonus: number
  requestId: string
  businessDay: string
  createdAt: Date
  transactionId: string | null
}

/** The stored-value entry of a paid self top-up: the money paid plus the bonus, no points. */
export function topupEntry(input: TopupEntryInput): LedgerEntry {
  return {
    _id: topupEntryId(input.orderId),
    memberId: input.memberId,
    kind: 'topup',
    points: 0,
    balance: input.amount + input.bonus,
    growth: 0,
    requestId: input.requestId,
    businessDay: input.businessDay,
    createdAt: input.createdAt,
    description: topupDescription(input.amount, input.bonus),
    storeId: null,
    staffId: null,
    detail: { amount: input.amount, bonus: input.bonus, channel: 'wechat', orderId: input.orderId, transactionId: input.transactionId },
  }
}
