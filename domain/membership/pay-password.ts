/**
 * 支付密码: six digits that guard online payments from stored value above the brand's amount
 * (storedValue.onlinePayment). Kept only as a slow salted hash (scrypt, backend/membership/
 * pay-password.ts); wrong attempts are counted on the member and, at the brand's limit, lock the
 * password until a store resets it after checking the member's phone. At the counter the freshly
 * scanned member code is the member's consent, so no password is asked there.
 */
import { AppError } from '../shared/errors'

export interface PayPasswordRecord {
  /** scrypt of the password, hex */
  hash: string
  /** random per setting, hex; a new password (or a reset) changes it, so attempts counted against an old one never count */
  salt: string
  /** wrong attempts in a row */
  failures: number
  setAt: Date
}

export type PayPasswordState = 'unset' | 'set' | 'locked'

export function payPasswordState(record: PayPasswordRecord | null | undefined, maxFailures: number): PayPasswordState {
  if (!record) return 'unset'
  return record.failures >= maxFailures ? 'locked' : 'set'
}

/** Six digits, not all the same, not a straight run up or down (000000, 123456, 654321 …). */
export function checkNewPayPassword(password: string): void {
  if (!/^\d{6}$/.test(password)) throw new AppError('PAY_PASSWORD_INVALID', '支付密码为 6 位数字', [{ path: 'password', message: 'six digits' }])
  const digits = [...password].map(Number)
  const steps = new Set(digits.slice(1).map((digit, i) => digit - digits[i]))
  if (steps.size === 1 && [0, 1, -1].includes([...steps][0])) {
    throw new AppError('PAY_PASSWORD_WEAK', '密码过于简单，请不要使用重复或连续的数字', [{ path: 'password', message: 'repeated or sequential digits' }])
  }
}

/** Whether a payment of `amount` fen from stored value needs the password. */
export function needsPayPassword(amount: number, passwordAbove: number): boolean {
  return amount > passwordAbove
}

export function payPasswordLocked(): AppError {
  return new AppError('PAY_PASSWORD_LOCKED', '支付密码错误次数过多，已锁定；请到门店核验手机号后重置')
}

export function payPasswordWrong(left: number): AppError {
  return left > 0 ? new AppError('PAY_PASSWORD_WRONG', `支付密码错误，还可尝试 ${left} 次`, [{ path: 'payPassword', message: `${left} attempts left` }]) : payPasswordLocked()
}
