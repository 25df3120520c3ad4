import { Text, View } from '@tarojs/components'
import { Button } from '../../components/button'
import Taro, { useDidHide, useDidShow, useUnload } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult, MemberView } from '@domain/contract'
import MemberCodeView from '../../components/member-code-view'
import { ErrorState, LoadingState } from '../../components/page-state'
import { MEMBER_STATUS_TEXT, formatFen, tierProgress, tierTone } from '../../lib/format'
import { routeUrl, type RouteName } from '../../routes'
import { describeError, hasCode } from '../../services/errors'
import { memberService } from '../../services/member'
import { goToDevLogin, needsDevLogin } from '../../services/session'
import { flag } from '../../lib/flag'
import './index.scss'

const go = (route: RouteName) => void Taro.navigateTo({ url: routeUrl(route) })

type Card = ActionResult<'member', 'card'>

/** The card as shown: a member whose card is lost or frozen gets no code (`code: null`, `blocked` says why). */
interface Shown {
  member: MemberView
  couponsCount: number | null
  code: { code: string; expiresAt: number } | null
  blocked: unknown
}

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; shown: Shown; refreshing: boolean; refreshError: unknown }

/** After a failed silent refresh, try again this much later. */
const RETRY_REFRESH_MS = 15_000

function fromCard(card: Card): Shown {
  const active = card.member.status === 'active' && Boolean(card.code)
  return {
    member: card.member,
    couponsCount: typeof card.couponsCount === 'number' ? card.couponsCount : null,
    code: active ? { code: card.code, expiresAt: card.expiresAt } : null,
    blocked: null,
  }
}

export default function CardPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latestCall = useRef(0)
  const visible = useRef(false)

  const clearTimer = () => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
  }

  const schedule = (ms: number) => {
    clearTimer()
    if (visible.current) timer.current = setTimeout(() => void load('refresh'), Math.max(1000, ms))
  }

  /**
   * The server refuses a code for a lost or frozen card (FAILED_PRECONDITION): the card is still
   * shown, from the profile, with the server's reason instead of the code.
   */
  async function blockedCard(reason: unknown): Promise<Shown> {
    const { member } = await memberService.profile()
    return { member, couponsCount: null, code: null, blocked: reason }
  }

  /** 'initial' shows the loading state; 'refresh' keeps the card on screen while a new code is fetched. */
  async function load(mode: 'initial' | 'refresh') {
    const call = ++latestCall.current
    clearTimer()
    setView((current) => (mode === 'refresh' && current.kind === 'ready' ? { ...current, refreshing: true, refreshError: null } : { kind: 'loading' }))
    try {
      let shown: Shown
      let refreshAfterMs: number | null = null
      try {
        const card = await memberService.card()
        shown = fromCard(card)
        if (shown.code) refreshAfterMs = card.refreshAfterMs
      } catch (error) {
        if (!hasCode(error, 'FAILED_PRECONDITION')) throw error
        shown = await blockedCard(error)
      }
      if (call !== latestCall.current) return
      setView({ kind: 'ready', shown, refreshing: false, refreshError: null })
      if (refreshAfterMs !== null) schedule(refreshAfterMs)
    } catch (error) {
      if (call !== latestCall.current) return
      if (hasCode(error, 'NOT_FOUND')) {
        setView({ kind: 'not-member' })
        return
      }
      setView((current) => (mode === 'refresh' && current.kind === 'ready' ? { ...current, refreshing: false, refreshError: error } : { kind: 'error', error }))
      if (mode === 'refresh') schedule(RETRY_REFRESH_MS)
    }
  }

  useDidShow(() => {
    visible.current = true
    if (needsDevLogin()) {
      goToDevLogin()
      return
    }
    // Coming back to the tab always fetches a fresh code: the old one may have expired meanwhile.
    void load(view.kind === 'ready' ? 'refresh' : 'initial')
  })

  useDidHide(() => {
    visible.current = false
    clearTimer()
  })

  useUnload(() => {
    visible.current = false
    clearTimer()
  })

  if (view.kind === 'loading') {
    return (
      <View className='page card-page'>
        <LoadingState text='正在加载会员卡…' />
      </View>
    )
  }

  if (view.kind === 'error') {
    return (
      <View className='page card-page'>
        <ErrorState error={view.error} onRetry={() => void load('initial')} />
      </View>
    )
  }

  if (view.kind === 'not-member') {
    return (
      <View className='page card-page'>
        <View className='join-cta' id='join-cta'>
          <View className='join-cta__brand'>花漾美妆</View>
          <View className='join-cta__title'>连接即会员</View>
          <View className='join-cta__text'>免费成为会员，无需任何消费</View>
          <View className='join-cta__perks'>
            <View className='join-cta__perk'>专属电子会员卡</View>
            <View className='join-cta__perk'>每日签到领积分</View>
            <View className='join-cta__perk'>门店消费享会员权益</View>
          </View>
          <Button className='btn btn--gold' id='join-cta-button' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
            免费成为会员
          </Button>
        </View>
      </View>
    )
  }

  const { shown, refreshing, refreshError } = view
  const { member } = shown
  const tone = tierTone(member.tier)
  const progress = tierProgress(member.growth, member.tier.growthToNext)

  return (
    <View className='page card-page'>
      <View className={`member-card member-card--${tone}`} id='member-card'>
        <View className='member-card__head'>
          <View className='member-card__brand'>
            花漾美妆
            <Text className='member-card__brand-en'>HUAYANG BEAUTY</Text>
          </View>
          <View className='member-card__tier' id='card-tier'>
            {member.tier.name}
          </View>
        </View>

        <View className='member-card__who'>
          <View className='member-card__name' id='card-name'>
            {member.nickname}
          </View>
          <View className='member-card__no'>
            会员号 <Text id='card-member-no'>{member.memberNo}</Text>
            <Text className='member-card__type' id='card-type'>
              {member.cardType.name}
            </Text>
          </View>
          {member.status !== 'active' && <View className='member-card__status'>{MEMBER_STATUS_TEXT[member.status]}</View>}
        </View>

        <View className='member-card__stats'>
          <View className='member-card__stat'>
            <View className='member-card__value card-points' id='card-points'>
              {member.points}
            </View>
            <View className='member-card__label'>积分</View>
          </View>
          <View className='member-card__stat'>
            <View className='member-card__value card-balance' id='card-balance'>
              {formatFen(member.balance)}
            </View>
            <View className='member-card__label'>储值</View>
          </View>
          <View className='member-card__stat'>
            <View className='member-card__value' id='card-growth'>
              {member.growth}
            </View>
            <View className='member-card__label'>成长值</View>
          </View>
        </View>

        {(shown.couponsCount !== null || member.pointsOwed > 0) && (
          <View className='member-card__extras'>
            {shown.couponsCount !== null && (
              <Text className='member-card__extra' id='card-coupons'>
                优惠券 {shown.couponsCount} 张
              </Text>
            )}
            {member.pointsOwed > 0 && (
              <Text className='member-card__extra' id='card-points-owed'>
                待抵扣积分 {member.pointsOwed}
              </Text>
            )}
          </View>
        )}

        <View className='member-card__progress' id='card-progress'>
          <View className='member-card__bar'>
            <View className='member-card__bar-fill' style={{ width: `${Math.round(progress * 100)}%` }} />
          </View>
          <View className='member-card__progress-text'>
            {member.tier.nextTierName && member.tier.growthToNext !== null ? `再获得 ${member.tier.growthToNext} 成长值升级为${member.tier.nextTierName}` : '已是最高等级，尊享全部会员权益'}
          </View>
        </View>
      </View>

      {shown.code ? (
        <View className='section code-section'>
          <View className='section__title'>
            会员码
            <Text className='section__hint'>结账时出示给店员扫码</Text>
          </View>
          <View className='code-section__body'>
            <MemberCodeView code={shown.code.code} expiresAt={shown.code.expiresAt} />
          </View>
          {refreshError ? (
            <View className='notice notice--error' id='code-refresh-error'>
              会员码刷新失败：{describeError(refreshError)}
            </View>
          ) : null}
          <View className='code-section__actions'>
            <Button className='btn btn--ghost btn--small' id='code-refresh-button' loading={flag(refreshing)} disabled={flag(refreshing)} onClick={() => void load('refresh')}>
              刷新
            </Button>
          </View>
          <View className='code-section__tip'>会员码每分钟自动更新，截图无效，请勿转发</View>
        </View>
      ) : (
        <View className='section code-section' id='card-code-blocked'>
          <View className='section__title'>会员码已停用</View>
          <View className='code-section__blocked'>
            {member.status === 'lost'
              ? '会员卡已挂失，会员码已停用，他人无法使用你的会员卡。找回后可在「卡片服务」解除挂失。'
              : member.status === 'frozen'
                ? '会员卡已冻结，会员码暂停使用。请携带本人证件到门店办理解冻。'
                : describeError(shown.blocked)}
          </View>
          {shown.blocked && member.status === 'active' ? (
            <View className='code-section__actions'>
              <Button className='btn btn--ghost btn--small' id='code-refresh-button' onClick={() => void load('initial')}>
                重试
              </Button>
            </View>
          ) : null}
        </View>
      )}

      <View className='section card-entries'>
        <View className='list-row card-entry' id='card-trade-entry' onClick={() => go('tradeHome')}>
          <View className='list-row__main'>
            <View className='list-row__title'>商城·活动</View>
            <View className='list-row__sub'>积分商城 · 领券中心 · 限时秒杀 · 拼团</View>
          </View>
          <View className='list-row__side text-brand'>去逛逛</View>
          <View className='list-row__arrow'>›</View>
        </View>
        <View className='list-row card-entry' id='card-coupons-entry' onClick={() => go('couponWallet')}>
          <View className='list-row__main'>
            <View className='list-row__title'>我的优惠券</View>
            <View className='list-row__sub'>出示券码 · 分享朋友券</View>
          </View>
          <View className='list-row__side text-muted'>{shown.couponsCount !== null ? `${shown.couponsCount} 张` : ''}</View>
          <View className='list-row__arrow'>›</View>
        </View>
        <View className='list-row card-entry' id='card-topup-entry' onClick={() => go('storedValue')}>
          <View className='list-row__main'>
            <View className='list-row__title'>储值</View>
            <View className='list-row__sub'>余额 {formatFen(member.balance)} · 在线充值享赠送</View>
          </View>
          <View className='list-row__side text-brand'>去充值</View>
          <View className='list-row__arrow'>›</View>
        </View>
        <View className='list-row card-entry' id='card-services-entry' onClick={() => go('cardServices')}>
          <View className='list-row__main'>
            <View className='list-row__title'>卡片服务</View>
            <View className='list-row__sub'>挂失 · 解除挂失 · 卡片状态</View>
          </View>
          <View className={`list-row__side ${member.status === 'active' ? 'text-muted' : 'text-danger'}`}>{MEMBER_STATUS_TEXT[member.status]}</View>
          <View className='list-row__arrow'>›</View>
        </View>
      </View>
    </View>
  )
}
