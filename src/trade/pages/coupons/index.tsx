import { View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { CouponStatus, CouponView, FriendShareView } from '@domain/contract'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { COUPON_SOURCE_TEXT, couponSummary, usableInText, validityRange } from '../../../lib/coupon-text'
import { flag } from '../../../lib/flag'
import { formatShanghaiTime } from '../../../lib/format'
import { useEvery } from '../../../lib/use-every'
import { routeUrl } from '../../../routes'
import { useShareCode } from '../../../lib/use-share-code'
import { hasReason } from '../../../services/errors'
import { couponService } from '../../../services/coupon'
import CouponTicket from '../../components/coupon-ticket'
import NotMemberState from '../../components/not-member'
import SharePanel from '../../components/share-panel'
import './index.scss'

const TABS: { status: CouponStatus; text: string }[] = [
  { status: 'unused', text: '未使用' },
  { status: 'used', text: '已使用' },
  { status: 'expired', text: '已过期' },
]

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; coupons: CouponView[] }

/** 分享给好友 of one coupon: asking the server for the share card, then the card. */
type Share = { couponId: string; busy: boolean; error: unknown; share: FriendShareView | null }

function isStatus(value: string | undefined): value is CouponStatus {
  return value === 'unused' || value === 'used' || value === 'expired'
}

/** How often an open share card looks again at how many friends may still claim. */
const SHARE_EVERY_MS = 5_000

export default function CouponWalletPage() {
  const router = useRouter()
  const [tab, setTab] = useState<CouponStatus>(isStatus(router.params.tab) ? router.params.tab : 'unused')
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [share, setShare] = useState<Share | null>(null)
  const shareRef = useRef<FriendShareView | null>(null)
  const latest = useRef(0)
  const shareCode = useShareCode(share?.share ? { type: 'friendCoupon', id: share.share.shareId } : null)

  useShareAppMessage(() => {
    const card = shareRef.current
    if (!card) return { title: '花漾美妆 · 领券中心', path: routeUrl('couponCentre') }
    return { title: `${card.sharerNickname} 分享给你一张「${card.template.name}」`, path: routeUrl('friendCoupon', { shareId: card.shareId, s: shareCode }) }
  })

  async function load(status: CouponStatus, showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const { coupons } = await couponService.wallet(status)
      if (call === latest.current) setView({ kind: 'ready', coupons })
    } catch (error) {
      if (call !== latest.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => {
    void load(tab, view.kind !== 'ready')
  })

  function switchTab(status: CouponStatus) {
    if (status === tab) return
    setTab(status)
    void load(status, true)
  }

  async function openShare(coupon: CouponView) {
    setShare({ couponId: coupon.couponId, busy: true, error: null, share: null })
    shareRef.current = null
    try {
      const { share: card } = await couponService.shareFriendCoupon(coupon.templateId)
      shareRef.current = card
      setShare({ couponId: coupon.couponId, busy: false, error: null, share: card })
    } catch (error) {
      setShare({ couponId: coupon.couponId, busy: false, error, share: null })
    }
  }

  function closeShare() {
    setShare(null)
  }

  // while the share card is open, friends' claims show up in 还可邀请 (the share is read again every few seconds)
  const openShareId = share?.share?.shareId ?? null
  useEvery(SHARE_EVERY_MS, openShareId !== null, () => {
    if (!openShareId) return
    couponService.friendShare(openShareId).then(
      ({ share: card }) => {
        shareRef.current = card
        setShare((current) => (current?.share?.shareId === card.shareId ? { ...current, share: card } : current))
      },
      // a lost answer is asked again at the next tick
      () => undefined,
    )
  })

  const showCode = (coupon: CouponView) => void Taro.navigateTo({ url: routeUrl('couponCode', { couponId: coupon.couponId }) })

  return (
    <View className='page wallet-page'>
      <View className='tabs wallet-tabs'>
        {TABS.map((item) => (
          <View key={item.status} className={`tabs__item ${tab === item.status ? 'tabs__item--active' : ''}`} id={`wallet-tab-${item.status}`} onClick={() => switchTab(item.status)}>
            {item.text}
          </View>
        ))}
      </View>

      {view.kind === 'loading' && <LoadingState text='正在加载优惠券…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load(tab, true)} />}
      {view.kind === 'not-member' && <NotMemberState title='成为会员后即可领券' />}
      {view.kind === 'ready' && view.coupons.length === 0 && (
        <EmptyState title={tab === 'unused' ? '还没有可用的优惠券' : tab === 'used' ? '还没有使用过优惠券' : '没有过期的优惠券'} hint={tab === 'unused' ? '去领券中心看看吧' : undefined}>
          {tab === 'unused' ? (
            <Button className='btn btn--primary btn--small' id='wallet-go-centre' onClick={() => void Taro.navigateTo({ url: routeUrl('couponCentre') })}>
              去领券中心
            </Button>
          ) : null}
        </EmptyState>
      )}
      {view.kind === 'ready' && view.coupons.length > 0 && (
        <View id='wallet-list'>
          {view.coupons.map((coupon, index) => {
            // a 朋友券 the member claimed themself can be shared; a copy a friend shared cannot be passed on
            const shareable = coupon.status === 'unused' && coupon.isFriendCoupon && coupon.source !== 'friend'
            const sharing = share?.couponId === coupon.couponId ? share : null
            return (
              <CouponTicket
                key={coupon.couponId}
                id={`coupon-${index}`}
                coupon={coupon}
                muted={coupon.status !== 'unused'}
                badge={coupon.status === 'used' ? '已使用' : coupon.status === 'expired' ? '已过期' : coupon.isFriendCoupon ? '朋友券' : undefined}
                lines={[
                  couponSummary(coupon),
                  `有效期 ${validityRange(coupon)}`,
                  usableInText(coupon.usableIn),
                  coupon.sharedBy ? `${coupon.sharedBy} 分享给你` : `来源：${COUPON_SOURCE_TEXT[coupon.source]}`,
                  coupon.usedAt ? `使用时间 ${formatShanghaiTime(coupon.usedAt)}` : '',
                ]}
                notice={sharing?.error ? <ErrorNotice id={`coupon-share-error-${index}`} error={sharing.error} /> : null}
              >
                {coupon.status === 'unused' && shareable ? (
                  <Button className='btn btn--ghost btn--small' id={`coupon-share-${index}`} loading={flag(Boolean(sharing?.busy))} onClick={() => void openShare(coupon)}>
                    分享给好友
                  </Button>
                ) : null}
                {coupon.status === 'unused' && coupon.usableIn.includes('store') ? (
                  <Button className='btn btn--primary btn--small' id={`coupon-show-${index}`} onClick={() => showCode(coupon)}>
                    出示券码
                  </Button>
                ) : null}
              </CouponTicket>
            )
          })}
        </View>
      )}

      {share?.share ? (
        <SharePanel id='coupon-share-panel' title='分享给好友' path={routeUrl('friendCoupon', { shareId: share.share.shareId })} onClose={closeShare}>
          <View className='wallet-share__card'>
            <View className='wallet-share__who'>{share.share.sharerNickname} 分享给你一张券</View>
            <View className='wallet-share__name'>{share.share.template.name}</View>
            <View className='wallet-share__terms'>{couponSummary(share.share.template)}</View>
            <View className='wallet-share__left' id='coupon-share-remaining'>
              还可邀请 {share.share.remainingForShare} 位好友领取
            </View>
          </View>
        </SharePanel>
      ) : null}
    </View>
  )
}
