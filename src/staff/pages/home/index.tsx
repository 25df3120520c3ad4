import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult, StaffDayView, StaffView } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { STAFF_ROLE_TEXT, formatFen, formatShanghaiTime } from '../../../lib/format'
import { routeUrl, type RouteName } from '../../../routes'
import { describeError, hasCode } from '../../../services/errors'
import { staffService } from '../../../services/staff'
import './index.scss'

type Channel = ActionResult<'staff', 'channelMembers'>

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-staff'; error: unknown }
  /**
   * channel is null when the clerk has no 专属二维码 yet (or it could not be read: channelError);
   * results is null while today's figures could not be read (the rest of the page still works)
   */
  | { kind: 'ready'; staff: StaffView; channel: Channel | null; channelError: unknown; results: StaffDayView | null }

export default function StaffHomePage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const latestLoad = useRef(0)

  async function load(showSpinner: boolean) {
    const call = ++latestLoad.current
    if (showSpinner) setView({ kind: 'loading' })
    let staff: StaffView
    try {
      staff = (await staffService.me()).staff
    } catch (error) {
      if (call !== latestLoad.current) return
      const denied = hasCode(error, 'PERMISSION_DENIED') || hasCode(error, 'NOT_FOUND')
      setView(denied ? { kind: 'not-staff', error } : { kind: 'error', error })
      return
    }
    const [channel, results] = await Promise.all([
      staff.channelId
        ? staffService.channelMembers().then(
            (value) => ({ value, error: null }),
            (error: unknown) => ({ value: null, error }),
          )
        : { value: null, error: null },
      staffService.todayResults().then(
        (answer) => answer.results,
        () => null,
      ),
    ])
    if (call === latestLoad.current) setView({ kind: 'ready', staff, channel: channel.value, channelError: channel.error, results })
  }

  useDidShow(() => {
    void load(view.kind !== 'ready')
  })

  const go = (route: RouteName) => void Taro.navigateTo({ url: routeUrl(route) })
  const goVerify = () => go('staffVerify')

  if (view.kind === 'loading') {
    return (
      <View className='page staff-home'>
        <LoadingState text='正在加载工作台…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page staff-home'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'not-staff') {
    return (
      <View className='page staff-home'>
        <EmptyState title='店员工作台仅限门店店员使用' hint={describeError(view.error)}>
          <Button className='btn btn--ghost btn--small' onClick={() => void Taro.switchTab({ url: routeUrl('me') })}>
            返回我的
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { staff, channel, channelError, results } = view

  return (
    <View className='page staff-home'>
      <View className='staff-card' id='staff-card'>
        <View className='staff-card__role'>{STAFF_ROLE_TEXT[staff.role]}</View>
        <View className='staff-card__name' id='staff-name'>
          {staff.name}
        </View>
        <View className='staff-card__store' id='staff-store'>
          {staff.storeName}
        </View>
        <View className='staff-card__channel'>
          专属二维码：<Text id='staff-channel'>{staff.channelId ? (channel?.channel.name ?? '已开通') : '尚未分配'}</Text>
        </View>
      </View>

      <View className='section' id='staff-today'>
        <View className='section__title'>
          今日业绩<Text className='section__hint'>约 1 分钟更新</Text>
        </View>
        {results ? (
          <View className='staff-today__figures'>
            <View className='staff-today__figure'>
              <Text className='staff-today__value' id='today-joins'>
                {results.joins}
              </Text>
              <Text className='staff-today__label'>新会员</Text>
            </View>
            <View className='staff-today__figure'>
              <Text className='staff-today__value' id='today-purchases'>
                {results.purchases}
              </Text>
              <Text className='staff-today__label'>收银笔数</Text>
            </View>
            <View className='staff-today__figure'>
              <Text className='staff-today__value' id='today-sales'>
                {formatFen(results.sales - results.refunded)}
              </Text>
              <Text className='staff-today__label'>{results.refunds > 0 ? `实收（已退 ${results.refunds} 笔）` : '实收'}</Text>
            </View>
          </View>
        ) : (
          <View className='staff-today__unavailable'>今日业绩暂时无法读取，稍后回到本页再看</View>
        )}
      </View>

      <Button className='btn btn--primary staff-verify-entry' id='staff-verify-entry' onClick={goVerify}>
        会员收银 · 扫码核验
      </Button>

      <View className='section staff-tools'>
        <View className='list-row staff-tool' id='staff-card-service-entry' onClick={() => go('staffCardService')}>
          <View className='list-row__main'>
            <View className='list-row__title'>卡片服务</View>
            <View className='list-row__sub'>核验手机号后办理挂失、解挂、冻结、解冻</View>
          </View>
          <View className='list-row__arrow'>›</View>
        </View>
        <View className='list-row staff-tool' id='staff-redeem-entry' onClick={() => go('staffRedeemCoupon')}>
          <View className='list-row__main'>
            <View className='list-row__title'>核销券码</View>
            <View className='list-row__sub'>扫描顾客出示的优惠券码，到店礼在此核销</View>
          </View>
          <View className='list-row__arrow'>›</View>
        </View>
        <View className='list-row staff-tool' id='staff-pickup-entry' onClick={() => go('staffPickup')}>
          <View className='list-row__main'>
            <View className='list-row__title'>自提核销</View>
            <View className='list-row__sub'>扫描积分商城订单的提货码，交付商品</View>
          </View>
          <View className='list-row__arrow'>›</View>
        </View>
        <View className='list-row staff-tool' id='staff-counter-log-entry' onClick={() => go('staffCounterLog')}>
          <View className='list-row__main'>
            <View className='list-row__title'>门店台账</View>
            <View className='list-row__sub'>{staff.role === 'clerk' ? '我今天的收银、退款、充值记录' : '全店今日收银、退款、充值与合计'}</View>
          </View>
          <View className='list-row__arrow'>›</View>
        </View>
      </View>

      <View className='section'>
        <View className='section__title'>
          我带来的会员
          {channel && (
            <Text className='section__hint'>
              累计 <Text id='staff-member-total'>{channel.total}</Text> 人
            </Text>
          )}
        </View>

        {!staff.channelId && <EmptyState title='你还没有专属二维码' hint='请联系店长为你分配专属渠道，顾客扫码入会后会显示在这里' />}

        {channelError ? (
          <View className='staff-channel-error'>
            <View className='notice notice--error'>会员列表加载失败：{describeError(channelError)}</View>
            <Button className='btn btn--ghost btn--small staff-retry' id='retry-button' onClick={() => void load(false)}>
              重试
            </Button>
          </View>
        ) : null}

        {channel && channel.members.length === 0 && <EmptyState title='还没有通过你的专属二维码入会的会员' hint='邀请顾客扫码，连接即会员' />}

        {channel && channel.members.length > 0 && (
          <View className='staff-members' id='staff-member-list'>
            {channel.members.map((member) => (
              <View className='list-row staff-member-item' key={member.memberNo}>
                <View className='list-row__main'>
                  <View className='list-row__title'>{member.nickname}</View>
                  <View className='list-row__sub'>会员号 {member.memberNo}</View>
                </View>
                <View className='list-row__side list-row__sub'>{formatShanghaiTime(member.joinedAt, 'MM-DD HH:mm')} 入会</View>
              </View>
            ))}
            {channel.total > channel.members.length && <View className='staff-members__more'>仅显示最近 {channel.members.length} 位</View>}
          </View>
        )}
      </View>
    </View>
  )
}
