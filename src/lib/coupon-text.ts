/**
 * How a coupon reads on a ticket, in the member's wallet and at the counter's coupon picker:
 * value (¥10 / 8.8折 / 礼), threshold (满100可用 / 无门槛), channels (门店可用 / 门店、线上可用).
 */
import type { CouponKind, CouponView } from '@domain/contract'
import { formatShanghaiTime, formatYuanShort } from './format'

type Terms = { kind: CouponKind; value: number; threshold: number; giftName: string | null }

/** The big figure on the ticket: cash `¥10`, discount `8.8折` (value = percent paid), gift `礼`. */
export function couponFigure({ kind, value }: Pick<Terms, 'kind' | 'value'>): string {
  if (kind === 'cash') return `¥${formatYuanShort(value)}`
  if (kind === 'discount') return `${value / 10}折`
  return '礼'
}

/** `满100可用` / `无门槛` (gift coupons: the gift itself). */
export function couponCondition({ kind, threshold, giftName }: Pick<Terms, 'kind' | 'threshold' | 'giftName'>): string {
  if (kind === 'gift') return giftName ? `到店领取 ${giftName}` : '到店领取礼品'
  return threshold > 0 ? `满${formatYuanShort(threshold)}可用` : '无门槛'
}

/** One line of terms: `满100减10` / `满200享8.8折` / `无门槛减20`. */
export function couponSummary(terms: Terms): string {
  if (terms.kind === 'gift') return couponCondition(terms)
  const condition = terms.threshold > 0 ? `满${formatYuanShort(terms.threshold)}` : '无门槛'
  return terms.kind === 'cash' ? `${condition}减${formatYuanShort(terms.value)}` : `${condition}享${couponFigure(terms)}`
}

const CHANNEL_TEXT = { store: '门店', online: '线上' } as const

/** `门店可用` / `线上可用` / `门店、线上可用` (store first). */
export function usableInText(usableIn: readonly ('online' | 'store')[]): string {
  const channels = (['store', 'online'] as const).filter((channel) => usableIn.includes(channel))
  return channels.length ? `${channels.map((channel) => CHANNEL_TEXT[channel]).join('、')}可用` : ''
}

/** `2026-01-01 至 2026-01-31` in Asia/Shanghai. */
export function validityRange(coupon: Pick<CouponView, 'validFrom' | 'validTo'>): string {
  return `${formatShanghaiTime(coupon.validFrom, 'YYYY-MM-DD')} 至 ${formatShanghaiTime(coupon.validTo, 'YYYY-MM-DD')}`
}

export const COUPON_SOURCE_TEXT: Record<CouponView['source'], string> = {
  centre: '领券中心',
  welcome: '新人礼',
  birthday: '生日礼',
  friend: '好友分享',
  campaign: '活动赠送',
  reward: '邀请奖励',
  mall: '积分兑换',
}
