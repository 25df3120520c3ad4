import { Button, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { MemberView } from '@domain/contract'
import { ErrorState, LoadingState } from '../../../components/page-state'
import { formatFen } from '../../../lib/format'
import { routeUrl, type RouteName } from '../../../routes'
import { hasReason } from '../../../services/errors'
import { memberService } from '../../../services/member'
import './index.scss'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; member: MemberView | null }

const go = (route: RouteName) => void Taro.navigateTo({ url: routeUrl(route) })

const PROMOTIONS: { route: RouteName; id: string; title: string; text: string }[] = [
  { route: 'mall', id: 'hub-mall', title: '积分商城', text: '积分兑好礼' },
  { route: 'couponCentre', id: 'hub-coupon-centre', title: '领券中心', text: '新人券、朋友券' },
  { route: 'flashSales', id: 'hub-flash-sales', title: '限时秒杀', text: '整点开抢' },
  { route: 'groupBuy', id: 'hub-group-buy', title: '拼团', text: '好友一起更优惠' },
  { route: 'invite', id: 'hub-invite', title: '邀请有礼', text: '邀请好友入会' },
]

const MINE: { route: RouteName; id: string; title: string }[] = [
  { route: 'couponWallet', id: 'hub-wallet', title: '我的优惠券' },
  { route: 'orders', id: 'hub-orders', title: '我的订单' },
]

/** 商城·活动: the way into every trade tool, with the member's points and stored value. */
export default function TradeHomePage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const latest = useRef(0)

  async function load(showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const { member } = await memberService.profile()
      if (call === latest.current) setView({ kind: 'ready', member })
    } catch (error) {
      if (call !== latest.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'ready', member: null } : { kind: 'error', error })
    }
  }

  useDidShow(() => void load(view.kind !== 'ready'))

  if (view.kind === 'loading') {
    return (
      <View className='page trade-home'>
        <LoadingState />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page trade-home'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }

  const { member } = view
  return (
    <View className='page trade-home'>
      <View className='trade-home__hero'>
        {member ? (
          <View className='trade-home__stats'>
            <View className='trade-home__stat'>
              <View className='trade-home__value' id='hub-points'>
                {member.points}
              </View>
              <View className='trade-home__label'>可用积分</View>
            </View>
            <View className='trade-home__stat'>
              <View className='trade-home__value' id='hub-balance'>
                {formatFen(member.balance)}
              </View>
              <View className='trade-home__label'>储值余额</View>
            </View>
          </View>
        ) : (
          <View className='trade-home__guest'>
            <View className='trade-home__guest-title'>入会即可领券、兑换和参加活动</View>
            <Button className='btn btn--gold' id='hub-join' onClick={() => go('join')}>
              免费成为会员
            </Button>
          </View>
        )}
      </View>

      <View className='trade-home__grid'>
        {PROMOTIONS.map((entry) => (
          <View className='trade-home__tile' key={entry.id} id={entry.id} onClick={() => go(entry.route)}>
            <View className='trade-home__tile-title'>{entry.title}</View>
            <View className='trade-home__tile-text'>{entry.text}</View>
          </View>
        ))}
      </View>

      <View className='section'>
        {MINE.map((entry) => (
          <View className='list-row' key={entry.id} id={entry.id} onClick={() => go(entry.route)}>
            <View className='list-row__title'>{entry.title}</View>
            <View className='list-row__arrow'>›</View>
          </View>
        ))}
        <View className='list-row' id='hub-my-groups' onClick={() => void Taro.navigateTo({ url: routeUrl('groupBuy', { tab: 'mine' }) })}>
          <View className='list-row__title'>我的拼团</View>
          <View className='list-row__arrow'>›</View>
        </View>
      </View>
    </View>
  )
}
