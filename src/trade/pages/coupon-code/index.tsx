import { View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { CouponView } from '@domain/contract'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { couponFigure, couponSummary, usableInText, validityRange } from '../../../lib/coupon-text'
import { flag } from '../../../lib/flag'
import { routeParam, routeUrl } from '../../../routes'
import { formatShanghaiTime } from '../../../lib/format'
import { describeError, hasCode } from '../../../services/errors'
import { couponService } from '../../../services/coupon'
import CodeView from '../../components/code-view'
import { useSignedCode } from '../../lib/use-signed-code'
import { useEvery } from '../../../lib/use-every'
import './index.scss'

/** While the code is on screen, ask this often whether the clerk has redeemed it. */
const STATUS_EVERY_MS = 3_000

/**
 * 出示券码: the coupon's own short-lived code as a QR for the clerk's 核销券码, refreshed before it
 * expires. While it shows, the page asks every few seconds whether the coupon is still unused, so
 * it turns to 已核销 right after the clerk's scan (and the server stops issuing codes for it).
 */
export default function CouponCodePage() {
  const couponId = routeParam(useRouter().params, 'couponId')
  const [coupon, setCoupon] = useState<CouponView | null>(null)
  const [finished, setFinished] = useState<{ status: 'used' | 'expired'; usedAt: string | null } | null>(null)
  const [visible, setVisible] = useState(true)
  const { state, refresh } = useSignedCode(() => couponService.code(couponId), Boolean(couponId) && !finished)
  useDidShow(() => setVisible(true))
  useDidHide(() => setVisible(false))

  const showing = state.kind === 'ready' && visible && !finished
  useEvery(STATUS_EVERY_MS, showing, () => {
    couponService.codeStatus(couponId).then(
      ({ status, usedAt }) => {
        if (status !== 'unused') setFinished({ status, usedAt })
      },
      // a lost answer is asked again at the next tick; the code itself stays valid meanwhile
      () => undefined,
    )
  })

  useEffect(() => {
    if (!couponId) return
    let live = true
    // the coupon's terms for the heading; the code is what matters, so a failure here shows nothing more
    couponService
      .wallet('unused')
      .then(({ coupons }) => live && setCoupon(coupons.find((item) => item.couponId === couponId) ?? null))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [couponId])

  const goWallet = () => void Taro.redirectTo({ url: routeUrl('couponWallet') })

  if (!couponId) {
    return (
      <View className='page coupon-code'>
        <EmptyState title='没有找到这张优惠券' />
      </View>
    )
  }
  if (finished) {
    return (
      <View className='page coupon-code'>
        <EmptyState
          title={finished.status === 'used' ? '已核销' : '已过期'}
          hint={finished.status === 'used' && finished.usedAt ? `核销时间 ${formatShanghaiTime(finished.usedAt, 'MM-DD HH:mm')}` : '可在「我的优惠券」查看已使用和已过期的券'}
        >
          <View id='coupon-code-finished' />
          <Button className='btn btn--primary btn--small' id='coupon-code-back' onClick={goWallet}>
            查看我的优惠券
          </Button>
        </EmptyState>
      </View>
    )
  }
  if (state.kind === 'idle' || state.kind === 'loading') {
    return (
      <View className='page coupon-code'>
        <LoadingState text='正在生成券码…' />
      </View>
    )
  }
  if (state.kind === 'error') {
    // used, expired or not this member's: the server's reason, and the way back to the wallet
    if (hasCode(state.error, 'FAILED_PRECONDITION') || hasCode(state.error, 'NOT_FOUND')) {
      return (
        <View className='page coupon-code'>
          <EmptyState title={describeError(state.error)} hint='可在「我的优惠券」查看已使用和已过期的券'>
            <Button className='btn btn--primary btn--small' id='coupon-code-back' onClick={goWallet}>
              查看我的优惠券
            </Button>
          </EmptyState>
        </View>
      )
    }
    return (
      <View className='page coupon-code'>
        <ErrorState error={state.error} onRetry={refresh} />
      </View>
    )
  }

  return (
    <View className='page coupon-code'>
      <View className='section coupon-code__card'>
        {coupon ? (
          <View className='coupon-code__head' id='coupon-code-terms'>
            <View className='coupon-code__figure'>{couponFigure(coupon)}</View>
            <View className='coupon-code__about'>
              <View className='coupon-code__name'>{coupon.name}</View>
              <View className='coupon-code__line'>{couponSummary(coupon)}</View>
              <View className='coupon-code__line'>
                {validityRange(coupon)} · {usableInText(coupon.usableIn)}
              </View>
            </View>
          </View>
        ) : null}
        <View className='coupon-code__body'>
          <CodeView id='coupon-code' code={state.code} expiresAt={state.expiresAt} label='券码' />
        </View>
        {state.refreshError ? <ErrorNotice id='coupon-code-refresh-error' prefix='券码刷新失败：' error={state.refreshError} /> : null}
        <Button className='btn btn--ghost coupon-code__refresh' id='coupon-code-refresh' loading={flag(state.refreshing)} disabled={flag(state.refreshing)} onClick={refresh}>
          刷新券码
        </Button>
        <View className='coupon-code__tip'>请向店员出示此码核销；券码定时更新，截图无效</View>
      </View>
    </View>
  )
}
