import { Image, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { CouponKind } from '@domain/contract'
import { couponCondition, couponFigure } from '../../../lib/coupon-text'
import './index.scss'

/**
 * A coupon as a ticket: the value and its condition on the left stub, name and terms on the right,
 * actions underneath. `muted` greys it out (used, expired, none left).
 */
export default function CouponTicket({
  id,
  coupon,
  lines,
  badge,
  muted = false,
  notice,
  children,
}: {
  id?: string
  coupon: { name: string; kind: CouponKind; value: number; threshold: number; giftName: string | null; image?: string | null }
  lines: string[]
  badge?: string
  muted?: boolean
  /** under the actions: an action's error, a hint */
  notice?: ReactNode
  children?: ReactNode
}) {
  return (
    <View className={`coupon-ticket ${muted ? 'coupon-ticket--muted' : ''} coupon-ticket--${coupon.kind}`} id={id}>
      <View className='coupon-ticket__stub'>
        {coupon.image ? <Image className='coupon-ticket__image' src={coupon.image} mode='aspectFill' /> : null}
        <View className='coupon-ticket__figure'>{couponFigure(coupon)}</View>
        <View className='coupon-ticket__condition'>{coupon.kind === 'gift' ? '到店礼' : couponCondition(coupon)}</View>
      </View>
      <View className='coupon-ticket__main'>
        <View className='coupon-ticket__name'>
          {coupon.name}
          {badge ? <View className='badge coupon-ticket__badge'>{badge}</View> : null}
        </View>
        {lines.filter(Boolean).map((line, index) => (
          <View className='coupon-ticket__line' key={index}>
            {line}
          </View>
        ))}
        {children ? <View className='coupon-ticket__actions'>{children}</View> : null}
        {notice ? <View className='coupon-ticket__notice'>{notice}</View> : null}
      </View>
    </View>
  )
}
