import { View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { CouponView, FriendShareView, MemberView } from '@domain/contract'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { couponSummary, usableInText } from '../../../lib/coupon-text'
import { flag } from '../../../lib/flag'
import { useIntent } from '../../../lib/use-intent'
import { useEvery } from '../../../lib/use-every'
import { useOpenedScene } from '../../../lib/use-opened-scene'
import { routeParam, routeUrl } from '../../../routes'
import { canRetry, describeError, hasCode } from '../../../services/errors'
import { couponService } from '../../../services/coupon'
import { memberService } from '../../../services/member'
import CouponTicket from '../../components/coupon-ticket'
import './index.scss'

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  /** the share is gone (NOT_FOUND): the server's words */
  | { kind: 'gone'; error: unknown }
  | { kind: 'ready'; share: FriendShareView; member: MemberView | null }

type Claim = { phase: 'idle' } | { phase: 'joining' | 'claiming' } | { phase: 'claimed'; coupon: CouponView } | { phase: 'failed'; error: unknown }

async function memberOrNull(): Promise<MemberView | null> {
  return (await memberService.profileOrNull())?.member ?? null
}

/**
 * 朋友券, the friend's side: 「<昵称> 分享给你一张券」 and 领取 of their own copy. A visitor who is
 * not a member yet joins first (立即入会, free), then the claim goes ahead in the same tap.
 */
/** How often the sharer's own page looks again at the claims left. */
const SHARE_EVERY_MS = 5_000

export default function FriendCouponPage() {
  const shareId = routeParam(useRouter().params, 'shareId')
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [claim, setClaim] = useState<Claim>({ phase: 'idle' })
  const intent = useIntent('fclaim')
  useOpenedScene()
  const latest = useRef(0)

  async function load(showSpinner: boolean) {
    if (!shareId) return
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const [{ share }, member] = await Promise.all([couponService.friendShare(shareId), memberOrNull()])
      if (call === latest.current) setView({ kind: 'ready', share, member })
    } catch (error) {
      if (call !== latest.current) return
      setView(hasCode(error, 'NOT_FOUND') ? { kind: 'gone', error } : { kind: 'error', error })
    }
  }

  const [visible, setVisible] = useState(true)
  useDidShow(() => {
    setVisible(true)
    void load(view.kind !== 'ready')
  })
  useDidHide(() => setVisible(false))

  // the sharer watching their own link sees friends' claims come in
  const watching = visible && view.kind === 'ready' && view.share.mine
  useEvery(SHARE_EVERY_MS, watching, () => void load(false))

  async function claimCoupon() {
    if (view.kind !== 'ready' || claim.phase === 'joining' || claim.phase === 'claiming') return
    const requestId = intent.idFor(shareId)
    try {
      if (!view.member) {
        setClaim({ phase: 'joining' })
        const { member } = await memberService.join({})
        setView({ ...view, member })
      }
      setClaim({ phase: 'claiming' })
      const { coupon } = await couponService.claimFriendCoupon(shareId, requestId)
      intent.settle()
      setClaim({ phase: 'claimed', coupon })
      setView((current) => (current.kind === 'ready' ? { ...current, share: { ...current.share, claimedByMe: true } } : current))
    } catch (error) {
      // NOT_FOUND here is "not a member" (the share itself was just read): offer 入会 again
      if (hasCode(error, 'NOT_FOUND')) setView((current) => (current.kind === 'ready' ? { ...current, member: null } : current))
      setClaim({ phase: 'failed', error })
    }
  }

  const goWallet = () => void Taro.navigateTo({ url: routeUrl('couponWallet') })
  const goHome = () => void Taro.switchTab({ url: routeUrl('card') })

  if (!shareId) {
    return (
      <View className='page friend-page'>
        <EmptyState title='链接不完整，请让好友重新分享' />
      </View>
    )
  }
  if (view.kind === 'loading') {
    return (
      <View className='page friend-page'>
        <LoadingState text='正在打开好友的券…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page friend-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'gone') {
    return (
      <View className='page friend-page'>
        <EmptyState title={describeError(view.error)} hint='去领券中心看看其他优惠'>
          <Button className='btn btn--primary btn--small' onClick={() => void Taro.navigateTo({ url: routeUrl('couponCentre') })}>
            去领券中心
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { share, member } = view
  const busy = claim.phase === 'joining' || claim.phase === 'claiming'
  const claimed = share.claimedByMe || claim.phase === 'claimed'
  const soldOut = !claimed && share.remainingForShare <= 0

  return (
    <View className='page friend-page'>
      <View className='friend-hero'>
        <View className='friend-hero__avatar'>{share.sharerNickname.slice(0, 1)}</View>
        <View className='friend-hero__title' id='friend-title'>
          {share.mine ? '你分享的朋友券' : `${share.sharerNickname} 分享给你一张券`}
        </View>
        <View className='friend-hero__text'>{share.mine ? '花漾美妆 · 朋友券，好友凭你的链接领取' : '花漾美妆 · 朋友券，领取后放入你的卡包'}</View>
      </View>

      <CouponTicket
        id='friend-coupon'
        coupon={share.template}
        badge='朋友券'
        muted={soldOut}
        lines={[couponSummary(share.template), `${share.template.validityText} · ${usableInText(share.template.usableIn)}`, `还可领取 ${share.remainingForShare} 张`]}
      />

      {claim.phase === 'failed' ? <ErrorNotice id='friend-claim-error' error={claim.error} /> : null}

      {share.mine ? (
        <View className='notice' id='friend-mine'>
          这是你分享的券，好友领取后这里的剩余张数会随之更新
        </View>
      ) : claimed ? (
        <View className='friend-done' id='friend-claimed'>
          <View className='notice'>{claim.phase === 'claimed' ? '领取成功，已放入「我的优惠券」' : '你已经领过这张券了'}</View>
          <Button className='btn btn--primary friend-action' id='friend-go-wallet' onClick={goWallet}>
            查看我的优惠券
          </Button>
        </View>
      ) : soldOut ? (
        <Button className='btn btn--disabled friend-action' id='friend-claim' disabled>
          这位好友分享的券已被领完
        </Button>
      ) : member ? (
        <Button className='btn btn--primary friend-action' id='friend-claim' loading={flag(busy)} disabled={flag(busy)} onClick={() => void claimCoupon()}>
          {claim.phase === 'failed' && canRetry(claim.error) ? '重试' : '立即领取'}
        </Button>
      ) : (
        <View className='friend-join'>
          <View className='friend-join__text'>你还不是花漾美妆会员，免费入会后即可领取</View>
          <Button className='btn btn--gold friend-action' id='friend-join' loading={flag(busy)} disabled={flag(busy)} onClick={() => void claimCoupon()}>
            {claim.phase === 'joining' ? '正在入会…' : '立即入会并领取'}
          </Button>
        </View>
      )}

      <Button className='btn btn--ghost friend-action' id='friend-home' onClick={goHome}>
        去会员中心
      </Button>
    </View>
  )
}
