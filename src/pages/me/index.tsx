import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { MemberView, StaffView } from '@domain/contract'
import { ErrorState, LoadingState } from '../../components/page-state'
import { MEMBER_STATUS_TEXT, STAFF_ROLE_TEXT, formatFen } from '../../lib/format'
import { routeUrl, type RouteName } from '../../routes'
import { memberService } from '../../services/member'
import { clearDevSession, readDevSession } from '../../services/session'
import { staffService } from '../../services/staff'
import './index.scss'

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  /** member is null for a visitor who has not joined yet; staff is null for consumers */
  | { kind: 'ready'; member: MemberView | null; staff: StaffView | null }

/** staff.me succeeds only for clerks and managers; any failure simply means "not staff". */
async function staffOrNull(): Promise<StaffView | null> {
  try {
    return (await staffService.me()).staff
  } catch {
    return null
  }
}

async function memberOrNull(): Promise<MemberView | null> {
  return (await memberService.profileOrNull())?.member ?? null
}

const PERSONA_TEXT = { visitor: '新访客', member: '老会员', clerk: '店员', manager: '店长' } as const

function go(route: RouteName, tab = false) {
  const url = routeUrl(route)
  void (tab ? Taro.switchTab({ url }) : Taro.navigateTo({ url }))
}

export default function MePage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const latestLoad = useRef(0)
  const isH5 = process.env.TARO_ENV === 'h5'

  async function load(showSpinner: boolean) {
    const call = ++latestLoad.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const [member, staff] = await Promise.all([memberOrNull(), staffOrNull()])
      if (call === latestLoad.current) setView({ kind: 'ready', member, staff })
    } catch (error) {
      if (call === latestLoad.current) setView({ kind: 'error', error })
    }
  }

  useDidShow(() => {
    void load(view.kind !== 'ready')
  })

  function switchPersona() {
    clearDevSession()
    void Taro.reLaunch({ url: routeUrl('devLogin') })
  }

  if (view.kind === 'loading') {
    return (
      <View className='page me-page'>
        <LoadingState />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page me-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }

  const { member, staff } = view
  const persona = isH5 ? readDevSession()?.persona : undefined
  const personaText = persona ? PERSONA_TEXT[persona] : '未登录'

  return (
    <View className='page me-page'>
      <View className='me-head'>
        <View className='me-head__avatar'>{(member?.nickname ?? '访').slice(0, 1)}</View>
        <View className='me-head__who'>
          {member ? (
            <>
              <View className='me-head__name' id='me-nickname'>
                {member.nickname}
              </View>
              <View className='me-head__sub'>
                <Text className='me-head__tier' id='me-tier'>
                  {member.tier.name}
                </Text>
                <Text>会员号 {member.memberNo}</Text>
              </View>
              {member.status !== 'active' && <View className='me-head__status'>{MEMBER_STATUS_TEXT[member.status]}</View>}
            </>
          ) : (
            <>
              <View className='me-head__name'>你好，欢迎来到花漾美妆</View>
              <View className='me-head__sub'>还不是会员 · 免费入会即可享受会员权益</View>
            </>
          )}
        </View>
      </View>

      {member ? (
        <View className='me-stats'>
          <View className='me-stats__item' onClick={() => go('points', true)}>
            <View className='me-stats__value' id='me-points'>
              {member.points}
            </View>
            <View className='me-stats__label'>积分</View>
          </View>
          <View className='me-stats__item' id='me-balance-entry' onClick={() => go('storedValue')}>
            <View className='me-stats__value' id='me-balance'>
              {formatFen(member.balance)}
            </View>
            <View className='me-stats__label'>储值</View>
          </View>
          <View className='me-stats__item' id='me-growth-entry' onClick={() => go('tier')}>
            <View className='me-stats__value'>{member.growth}</View>
            <View className='me-stats__label'>成长值</View>
          </View>
        </View>
      ) : (
        <Button className='btn btn--primary me-join' id='me-join-button' onClick={() => go('join')}>
          免费成为会员
        </Button>
      )}

      <View className='section me-menu'>
        <View className='list-row me-menu__item' id='me-card-entry' onClick={() => go('card', true)}>
          <View className='list-row__title'>会员卡与会员码</View>
          <View className='me-menu__arrow'>›</View>
        </View>
        <View className='list-row me-menu__item' id='me-points-entry' onClick={() => go('points', true)}>
          <View className='list-row__title'>签到与积分明细</View>
          <View className='me-menu__arrow'>›</View>
        </View>
        {member && (
          <>
            <View className='list-row me-menu__item' id='me-trade-entry' onClick={() => go('tradeHome')}>
              <View className='list-row__main'>
                <View className='list-row__title'>商城·活动</View>
              </View>
              <View className='list-row__side text-muted'>积分兑换 · 秒杀 · 拼团</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-coupons-entry' onClick={() => go('couponWallet')}>
              <View className='list-row__title'>我的优惠券</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-orders-entry' onClick={() => go('orders')}>
              <View className='list-row__title'>我的订单</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-invite-entry' onClick={() => go('invite')}>
              <View className='list-row__title'>邀请好友</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-groups-entry' onClick={() => void Taro.navigateTo({ url: routeUrl('groupBuy', { tab: 'mine' }) })}>
              <View className='list-row__title'>我的拼团</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-tier-entry' onClick={() => go('tier')}>
              <View className='list-row__main'>
                <View className='list-row__title'>等级与成长值</View>
              </View>
              <View className='list-row__side text-muted'>{member.tier.name}</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-stored-value-entry' onClick={() => go('storedValue')}>
              <View className='list-row__main'>
                <View className='list-row__title'>储值与明细</View>
              </View>
              <View className='list-row__side text-muted'>{formatFen(member.balance)}</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-card-services-entry' onClick={() => go('cardServices')}>
              <View className='list-row__title'>卡片服务（挂失 / 解除挂失）</View>
              <View className='me-menu__arrow'>›</View>
            </View>
            <View className='list-row me-menu__item' id='me-profile-entry' onClick={() => go('profile')}>
              <View className='list-row__title'>个人资料与隐私</View>
              <View className='me-menu__arrow'>›</View>
            </View>
          </>
        )}
        {member?.channel && (
          <View className='list-row me-menu__item'>
            <View className='list-row__title'>推荐渠道</View>
            <View className='list-row__side text-muted'>{member.channel.name}</View>
          </View>
        )}
        {staff && (
          <View className='list-row me-menu__item staff-entry' id='staff-entry' onClick={() => go('staffHome')}>
            <View className='list-row__main'>
              <View className='list-row__title'>店员工作台</View>
              <View className='list-row__sub'>
                {staff.storeName} · {STAFF_ROLE_TEXT[staff.role]} {staff.name}
              </View>
            </View>
            <View className='me-menu__arrow'>›</View>
          </View>
        )}
      </View>

      {isH5 && (
        <View className='section me-dev'>
          <View className='list-row me-menu__item' id='switch-persona' onClick={switchPersona}>
            <View className='list-row__main'>
              <View className='list-row__title'>切换演示身份</View>
              <View className='list-row__sub'>仅本地开发 · 当前：{personaText}</View>
            </View>
            <View className='me-menu__arrow'>›</View>
          </View>
        </View>
      )}
    </View>
  )
}
