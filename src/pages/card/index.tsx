import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidHide, useDidShow, useUnload } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult } from '@domain/contract'
import MemberCodeView from '../../components/member-code-view'
import { ErrorState, LoadingState } from '../../components/page-state'
import { MEMBER_STATUS_TEXT, formatFen, tierProgress, tierTone } from '../../lib/format'
import { routeUrl } from '../../routes'
import { describeError, hasCode } from '../../services/errors'
import { memberService } from '../../services/member'
import { goToDevLogin, needsDevLogin } from '../../services/session'
import './index.scss'
import { flag } from '../../lib/flag'

type Card = ActionResult<'member', 'card'>

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-member' }
  | { kind: 'ready'; card: Card; refreshing: boolean; refreshError: unknown }

/** After a failed silent refresh, try again this much later. */
const RETRY_REFRESH_MS = 15_000

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

  /** 'initial' shows the loading state; 'refresh' keeps the card on screen while a new code is fetched. */
  async function load(mode: 'initial' | 'refresh') {
    const call = ++latestCall.current
    clearTimer()
    setView((current) =>
      mode === 'refresh' && current.kind === 'ready' ? { ...current, refreshing: true, refreshError: null } : { kind: 'loading' },
    )
    try {
      const card = await memberService.card()
      if (call !== latestCall.current) return
      setView({ kind: 'ready', card, refreshing: false, refreshError: null })
      schedule(card.refreshAfterMs)
    } catch (error) {
      if (call !== latestCall.current) return
      if (hasCode(error, 'NOT_FOUND')) {
        setView({ kind: 'not-member' })
        return
      }
      setView((current) =>
        mode === 'refresh' && current.kind === 'ready' ? { ...current, refreshing: false, refreshError: error } : { kind: 'error', error },
      )
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

  const { card, refreshing, refreshError } = view
  const { member } = card
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

        <View className='member-card__progress' id='card-progress'>
          <View className='member-card__bar'>
            <View className='member-card__bar-fill' style={{ width: `${Math.round(progress * 100)}%` }} />
          </View>
          <View className='member-card__progress-text'>
            {member.tier.nextTierName && member.tier.growthToNext !== null
              ? `再获得 ${member.tier.growthToNext} 成长值升级为${member.tier.nextTierName}`
              : '已是最高等级，尊享全部会员权益'}
          </View>
        </View>
      </View>

      <View className='section code-section'>
        <View className='section__title'>
          会员码
          <Text className='section__hint'>结账时出示给店员扫码</Text>
        </View>
        <View className='code-section__body'>
          <MemberCodeView code={card.code} expiresAt={card.expiresAt} />
        </View>
        {refreshError ? (
          <View className='notice notice--error' id='code-refresh-error'>
            会员码刷新失败：{describeError(refreshError)}
          </View>
        ) : null}
        <View className='code-section__actions'>
          <Button
            className='btn btn--ghost btn--small'
            id='code-refresh-button'
            loading={flag(refreshing)}
            disabled={flag(refreshing)}
            onClick={() => void load('refresh')}
          >
            刷新
          </Button>
        </View>
        <View className='code-section__tip'>会员码每分钟自动更新，截图无效，请勿转发</View>
      </View>
    </View>
  )
}
