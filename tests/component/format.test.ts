/**
 * What the pages compute before they call the server: yuan typed by a person → fen, discount and
 * top-up labels, days in Asia/Shanghai, ledger kind labels, and one requestId per intent.
 */
import { ENTRY_KINDS as LEDGER_KINDS } from '@domain/shared/ledger-entry'
import { LEDGER_SOURCE_TEXT, checkYuan, formatDay, formatDiscount, formatFen, formatTopupOffer, formatYuanShort, parseYuan, shanghaiDay, shiftDay } from '../../src/lib/format'
import { createIntent } from '../../src/services/intent'

test('yuan as typed becomes integer fen without floating point', () => {
  expect(parseYuan('199.00')).toBe(19900)
  expect(parseYuan('199')).toBe(19900)
  expect(parseYuan('199.5')).toBe(19950)
  expect(parseYuan('0.1')).toBe(10)
  expect(parseYuan('0.29')).toBe(29) // 0.29 * 100 is 28.999… in floating point
  expect(parseYuan(' ¥1,000.05 ')).toBe(100005)
  expect(parseYuan('199.')).toBe(19900)
})

test('anything that is not an amount is refused', () => {
  for (const text of ['', 'abc', '1.234', '-5', '1e3', '.5', '12.3.4']) expect(parseYuan(text)).toBeNull()
})

test('discounts read the way Chinese retail writes them', () => {
  expect(formatDiscount(95)).toBe('95折')
  expect(formatDiscount(90)).toBe('9折')
  expect(formatDiscount(88)).toBe('88折')
  expect(formatDiscount(100)).toBe('无折扣')
})

test('top-up presets: 充500送50', () => {
  expect(formatTopupOffer(50000, 5000)).toBe('充500送50')
  expect(formatTopupOffer(100000, 15000)).toBe('充1000送150')
  expect(formatTopupOffer(10000, 0)).toBe('充100')
  expect(formatYuanShort(5050)).toBe('50.5')
  expect(formatYuanShort(5005)).toBe('50.05')
  expect(formatFen(-9500)).toBe('-¥95.00')
})

test('days are Asia/Shanghai days', () => {
  // 2024-11-24 16:30 UTC is already the 25th in Shanghai
  expect(shanghaiDay(Date.UTC(2024, 10, 24, 16, 30))).toBe('2024-11-25')
  expect(shiftDay('2024-03-01', -1)).toBe('2024-02-29')
  expect(formatDay('2026-12-31')).toBe('2026-12-31')
  expect(formatDay('2026-12-31T16:00:00.000Z')).toBe('2027-01-01')
})

test('every ledger kind and earning behaviour has a Chinese label', () => {
  for (const kind of LEDGER_KINDS) expect(LEDGER_SOURCE_TEXT[kind]).toMatch(/[\u4e00-\u9fff]/)
})

test('one requestId per intent: the same submit reuses it until it succeeds; new input or success starts a new one', () => {
  const intent = createIntent('purchase')
  const first = intent.idFor('token|19900|cash')
  expect(first).toMatch(/^purchase_[A-Za-z0-9_-]{6,}$/)
  expect(first.length).toBeLessThanOrEqual(64)
  expect(intent.idFor('token|19900|cash')).toBe(first) // 重试 after a lost answer
  const changed = intent.idFor('token|19900|balance')
  expect(changed).not.toBe(first)
  intent.settle()
  expect(intent.idFor('token|19900|balance')).not.toBe(changed) // the next purchase of the same amount
})

test('checkYuan: one problem per amount text, a large amount said to be large', () => {
  const limits = { max: 100_000_000, tooLarge: '单笔最多 ¥1000000.00' }
  expect(checkYuan('', limits)).toEqual({ fen: null, problem: null })
  expect(checkYuan('9999999999', limits)).toEqual({ fen: null, problem: '单笔最多 ¥1000000.00' })
  expect(checkYuan('1000000.01', limits)).toEqual({ fen: null, problem: '单笔最多 ¥1000000.00' })
  expect(checkYuan('1000000', limits)).toEqual({ fen: 100_000_000, problem: null })
  expect(checkYuan('19.999', limits)).toEqual({ fen: null, problem: '最多两位小数' })
  expect(checkYuan('1.2.3', limits)).toEqual({ fen: null, problem: '请输入正确的金额' })
  expect(checkYuan('abc', limits)).toEqual({ fen: null, problem: '请输入正确的金额' })
  expect(checkYuan('0.00', limits)).toEqual({ fen: null, problem: '金额须大于 0' })
  expect(checkYuan('¥ 1,000.5', limits)).toEqual({ fen: 100_050, problem: null })
  expect(checkYuan('5', { ...limits, min: 1000, tooSmall: '单笔最低充值 ¥10.00' })).toEqual({ fen: null, problem: '单笔最低充值 ¥10.00' })
})
