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

/** What a clerk typed or scanned, back to the code itself (groups and stray whitespace removed). */
export function normaliseCode(text: string): string {
  return text.replace(/\s+/g, '')
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
