import { serverNow } from './server-clock'
import { canonicalScanCode } from '@domain/shared/codes'
import { groupCode } from '../components/member-code/qr-svg'
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

/** The brand's time zone, Asia/Shanghai: UTC+8 all year (no daylight saving), so a fixed offset is exact. */
const SHANGHAI_OFFSET_MINUTES = 8 * 60

/**
 * Integer fen → `¥12.34` (negative → `-¥12.34`). Never goes through floating point.
 * No thousands separators: numbers on screen stay plain so they read (and test) the same everywhere.
 */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  return `${sign}¥${yuan}.${cents < 10 ? '0' : ''}${cents}`
}

/** Signed change for the ledger: `+10` / `−5` (true minus sign). */
export function formatChange(change: number): string {
  if (change > 0) return `+${change}`
  if (change < 0) return `−${-change}`
  return '0'
}

/** ISO instant → `2024-11-25 09:30` in Asia/Shanghai. */
export function formatShanghaiTime(iso: string, pattern = 'YYYY-MM-DD HH:mm'): string {
  const instant = dayjs.utc(iso)
  return instant.isValid() ? instant.utcOffset(SHANGHAI_OFFSET_MINUTES).format(pattern) : ''
}

/** A member, coupon or pickup code as the server reads it (18 digits, domain/shared/scan-code.ts), or null when what was typed is not one yet. */
export function scanCodeFrom(text: string): string | null {
  const code = canonicalScanCode(text)
  return /^\d{18}$/.test(code) ? code : null
}

/** What a clerk types into a code field, shown in the groups of four the member's screen shows (only while it is all digits). */
export function typedCode(text: string): string {
  const code = canonicalScanCode(text)
  return /^\d*$/.test(code) ? groupCode(code) : text
}

/** Growth progress towards the next tier, 0..1 (1 at the top tier). */
export function tierProgress(growth: number, growthToNext: number | null): number {
  if (growthToNext === null) return 1
  const total = growth + growthToNext
  if (total <= 0) return 0
  return Math.min(1, Math.max(0, growth / total))
}

/** Card colour family from the tier id or name: silver / gold / diamond. */
export function tierTone(tier: { id: string; name: string }): 'silver' | 'gold' | 'diamond' {
  const key = `${tier.id} ${tier.name}`.toLowerCase()
  if (key.includes('diamond') || key.includes('钻')) return 'diamond'
  if (key.includes('gold') || key.includes('金')) return 'gold'
  return 'silver'
}

export const MEMBER_STATUS_TEXT = {
  active: '正常',
  frozen: '已冻结',
  lost: '已挂失',
} as const

export const STAFF_ROLE_TEXT = {
  clerk: '店员',
  manager: '店长',
  admin: '总部',
} as const

/**
 * What a person typed as yuan (`199`, `199.5`, `199.05`, `¥ 1,000`) → integer fen, or null when it is
 * not an amount. String arithmetic only: `0.1 + 0.2` never happens.
 */
export function parseYuan(text: string): number | null {
  const cleaned = text.replace(/[\s,，¥￥]/g, '')
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(cleaned)
  if (!match) return null
  const cents = (match[2] ?? '').padEnd(2, '0')
  return Number(match[1]) * 100 + Number(cents)
}

/**
 * An amount field's text checked in one place: the fen it stands for, or the one problem to show
 * (nothing while it is empty). An amount too large says so, whatever its digits; only a third
 * decimal is "最多两位小数".
 */
export function checkYuan(text: string, limits: { min?: number; max: number; tooSmall?: string; tooLarge: string }): { fen: number | null; problem: string | null } {
  const cleaned = text.replace(/[\s,，¥￥]/g, '')
  if (cleaned === '') return { fen: null, problem: null }
  if (!/^\d+(\.\d*)?$/.test(cleaned)) return { fen: null, problem: '请输入正确的金额' }
  if (/\.\d{3,}$/.test(cleaned)) return { fen: null, problem: '最多两位小数' }
  const fen = parseYuan(cleaned)
  if (fen === null || fen > limits.max) return { fen: null, problem: limits.tooLarge }
  if (fen === 0) return { fen: null, problem: '金额须大于 0' }
  if (limits.min !== undefined && fen < limits.min) return { fen: null, problem: limits.tooSmall ?? `最低 ${formatFen(limits.min)}` }
  return { fen, problem: null }
}

/** Fen → a short yuan figure for labels: 50000 → `500`, 5050 → `50.5`, 5005 → `50.05`. */
export function formatYuanShort(fen: number): string {
  const yuan = Math.floor(Math.abs(fen) / 100)
  const cents = Math.abs(fen) % 100
  const sign = fen < 0 ? '-' : ''
  if (cents === 0) return `${sign}${yuan}`
  const decimals = cents % 10 === 0 ? String(cents / 10) : `${cents < 10 ? '0' : ''}${cents}`
  return `${sign}${yuan}.${decimals}`
}

/** A tier discount as Chinese retail writes it: 95 → `95折`, 90 → `9折`, 100 → `无折扣`. */
export function formatDiscount(percent: number): string {
  if (percent >= 100) return '无折扣'
  if (percent % 10 === 0) return `${percent / 10}折`
  return `${percent}折`
}

/** A top-up preset: `充500送50` (or `充100` without a bonus). */
export function formatTopupOffer(amount: number, bonus: number): string {
  return bonus > 0 ? `充${formatYuanShort(amount)}送${formatYuanShort(bonus)}` : `充${formatYuanShort(amount)}`
}

/** The day an instant falls on in Asia/Shanghai, `YYYY-MM-DD`. */
export function shanghaiDay(instant: number = serverNow()): string {
  return dayjs.utc(instant).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD')
}

/** `YYYY-MM-DD` moved by whole days. */
export function shiftDay(day: string, days: number): string {
  return dayjs.utc(day).add(days, 'day').format('YYYY-MM-DD')
}

/**
 * Ledger entry kinds in Chinese, every kind the ledger has known (分享 / 点赞 / 阅读 / 评价 are
 * retired but stay in members' history).
 */
export const LEDGER_SOURCE_TEXT: Record<string, string> = {
  join: '入会',
  checkin: '签到',
  share: '分享',
  like: '点赞',
  read: '阅读',
  review: '评价',
  purchase: '消费',
  refund: '退款',
  topup: '充值',
  adjust: '调整',
  grant: '赠送',
  expire: '过期',
  import: '迁移',
  order: '订单',
  'order-refund': '订单退款',
  reward: '好友奖励',
  'reward-unlock': '奖励入账',
  'reward-cancel': '奖励取消',
  'reward-clawback': '奖励扣回',
}

export function ledgerSourceText(source: string): string {
  return LEDGER_SOURCE_TEXT[source] ?? '其他'
}

export const PAY_METHOD_TEXT = {
  cash: '现金',
  wechat: '微信支付',
  balance: '储值支付',
} as const

export const CARD_SERVICE_TEXT = {
  reportLoss: '挂失',
  cancelLoss: '解除挂失',
  freeze: '冻结',
  unfreeze: '解冻',
  resetPayPassword: '重置支付密码',
} as const

export const COUNTER_ACTION_TEXT: Record<string, string> = {
  purchase: '消费',
  refund: '退款',
  topup: '储值充值',
  adjust: '积分调整',
  reportLoss: '挂失',
  cancelLoss: '解挂',
  freeze: '冻结',
  unfreeze: '解冻',
  resetPayPassword: '重置支付密码',
  verify: '核验会员码',
  redeemCoupon: '核销券码',
  collectPickup: '自提核销',
}

export const TIER_CHANGE_REASON_TEXT = {
  join: '入会',
  upgrade: '升级',
  'yearly-review': '年度评审',
  manual: '人工调整',
} as const

export const GENDER_TEXT = {
  female: '女',
  male: '男',
  unknown: '保密',
} as const

/** 11-digit mainland mobile number, the contract's rule. */
export function isMainlandPhone(text: string): boolean {
  return /^1\d{10}$/.test(text)
}

/** A day for display: `YYYY-MM-DD` as it is, an ISO instant as its Asia/Shanghai day. */
export function formatDay(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : formatShanghaiTime(value, 'YYYY-MM-DD')
}

/**
 * A countdown for a timer on screen: `02:05:09`, or `3天 02:05:09` from a day on; 0 and below is `00:00:00`.
 * Whole seconds, rounded up, so a timer never shows 00:00:00 while time is left.
 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const days = Math.floor(total / 86_400)
  const hours = Math.floor((total % 86_400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n))
  const clock = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`
  return days > 0 ? `${days}天 ${clock}` : clock
}

/** A price in the points mall: `300 积分`, `800 积分 + ¥49.00`, or `¥49.00` without points. */
export function formatPointsPrice(points: number, amount: number): string {
  if (points > 0 && amount > 0) return `${points} 积分 + ${formatFen(amount)}`
  if (amount > 0) return formatFen(amount)
  return `${points} 积分`
}

export const ORDER_KIND_TEXT = {
  mall: '积分兑换',
  flash: '秒杀',
  groupbuy: '拼团',
} as const

export const ORDER_PAY_METHOD_TEXT = {
  points: '积分',
  balance: '储值支付',
  wechat: '微信支付',
} as const

export const GROUP_STATUS_TEXT = {
  open: '拼团中',
  success: '拼团成功',
  failed: '拼团失败（已退款）',
} as const

/** A 支付密码 as typed: digits only, at most six. */
export function payPasswordDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6)
}
