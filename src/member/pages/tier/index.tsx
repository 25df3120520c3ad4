import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { MemberView, TierChangeView, TierGuideView } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { TIER_CHANGE_REASON_TEXT, formatDiscount, formatShanghaiTime, tierProgress, tierTone } from '../../../lib/format'
import { routeUrl } from '../../../routes'
import { describeError, hasReason } from '../../../services/errors'
import { loyaltyService } from '../../../services/loyalty'
import { memberService } from '../../../services/member'
import './index.scss'

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-member' }
  /** history is null when only the history failed to load (historyError says why) */
  | { kind: 'ready'; member: MemberView; history: TierChangeView[] | null; historyError: unknown; guide: TierGuideView | null }

/** One line per way of earning growth the brand's rules give. */
const GROWTH_WAY_TEXT: Record<TierGuideView['growthWays'][number]['way'], (growth: number) => string> = {
  purchase: (growth) => `门店消费：每消费 1 元得 ${growth} 成长值`,
  join: (growth) => `入会：得 ${growth} 成长值`,
  checkin: (growth) => `每日签到：得 ${growth} 成长值`,
}

export default function TierPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const latestLoad = useRef(0)

  async function load(showSpinner: boolean) {
    const call = ++latestLoad.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const [{ member }, history, guide] = await Promise.all([
        memberService.profile(),
        loyaltyService.tierHistory().then(
          (result) => ({ changes: result.changes, error: null as unknown }),
          (error: unknown) => ({ changes: null, error }),
        ),
        // the benefits are a help, not the page: without them the page still shows
        loyaltyService.tierGuide().then(
          (result) => result.guide,
          () => null,
        ),
      ])
      if (call !== latestLoad.current) return
      // newest first
      const changes = history.changes ? [...history.changes].sort((a, b) => b.at.localeCompare(a.at)) : null
      setView({ kind: 'ready', member, history: changes, historyError: history.error, guide })
    } catch (error) {
      if (call !== latestLoad.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => {
    void load(view.kind !== 'ready')
  })

  if (view.kind === 'loading') {
    return (
      <View className='page tier-page'>
        <LoadingState />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page tier-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'not-member') {
    return (
      <View className='page tier-page'>
        <EmptyState title='成为会员后即可累积成长值' hint='连接即会员，免费加入'>
          <Button className='btn btn--primary' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
            免费成为会员
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { member, history, historyError, guide } = view
  const progress = tierProgress(member.growth, member.tier.growthToNext)
  // the history may name tiers by id; the member's own tier is the one whose name we know

  return (
    <View className='page tier-page'>
      <View className={`tier-hero tier-hero--${tierTone(member.tier)}`}>
        <View className='tier-hero__label'>当前等级</View>
        <View className='tier-hero__name' id='tier-current'>
          {member.tier.name}
        </View>
        <View className='tier-hero__growth'>
          成长值 <Text id='tier-growth'>{member.growth}</Text>
        </View>
        <View className='tier-hero__bar'>
          <View className='tier-hero__fill' style={{ width: `${Math.round(progress * 100)}%` }} />
        </View>
        <View className='tier-hero__next' id='tier-next'>
          {member.tier.nextTierName && member.tier.growthToNext !== null ? `再获得 ${member.tier.growthToNext} 成长值升级为${member.tier.nextTierName}` : '已是最高等级'}
        </View>
      </View>

      {guide ? (
        <View className='section' id='tier-benefits'>
          <View className='section__title'>等级权益</View>
          {guide.tiers.map((tier) => (
            <View className={`tier-benefit ${tier.name === member.tier.name ? 'tier-benefit--mine' : ''}`} key={tier.id} id={`tier-benefit-${tier.id}`}>
              <View className='tier-benefit__head'>
                <View className='tier-benefit__name'>{tier.name}</View>
                <View className='tier-benefit__threshold'>{tier.growthThreshold > 0 ? `成长值 ${tier.growthThreshold} 起` : '入会即享'}</View>
              </View>
              <View className='tier-benefit__items'>
                <Text className='badge'>消费{formatDiscount(tier.discountPercent)}</Text>
                <Text className='badge'>{tier.pointsMultiplier > 1 ? `积分 ${tier.pointsMultiplier} 倍` : '积分 1 倍'}</Text>
                {tier.birthdayGiftPoints > 0 ? <Text className='badge'>生日礼 {tier.birthdayGiftPoints} 积分</Text> : null}
              </View>
            </View>
          ))}
        </View>
      ) : null}

      <View className='section' id='tier-growth-ways'>
        <View className='section__title'>成长值怎么来</View>
        <View className='tier-rules'>
          {(guide?.growthWays ?? []).map((way) => (
            <View className='tier-rules__item' key={way.way}>
              {GROWTH_WAY_TEXT[way.way](way.growth)}
            </View>
          ))}
          <View className='tier-rules__item'>退款会扣回对应的成长值；每年评审一次等级</View>
        </View>
      </View>

      <View className='section'>
        <View className='section__title'>
          等级变动记录
          <Text className='section__hint'>北京时间</Text>
        </View>
        {historyError ? (
          <View className='notice notice--error' id='tier-history-error'>
            等级记录加载失败：{describeError(historyError)}
          </View>
        ) : null}
        {history && history.length === 0 && <EmptyState title='还没有等级变动' />}
        {history && history.length > 0 && (
          <View id='tier-history-list'>
            {history.map((change, index) => (
              <View className='list-row tier-history-item' key={`${change.at}-${index}`}>
                <View className='list-row__main'>
                  <View className='list-row__title'>{change.from ? `${change.from} → ${change.to}` : `成为${change.to}`}</View>
                  <View className='list-row__sub'>{formatShanghaiTime(change.at)}</View>
                </View>
                <View className='list-row__side'>
                  <Text className='badge'>{TIER_CHANGE_REASON_TEXT[change.reason] ?? change.reason}</Text>
                </View>
              </View>
            ))}
          </View>
        )}
      </View>
    </View>
  )
}
