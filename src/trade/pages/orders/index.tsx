import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { OrderStatus, OrderView } from '@domain/contract'
import { ORDER_STAGE_TEXT } from '@domain/orders'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { ORDER_KIND_TEXT, formatPointsPrice, formatShanghaiTime } from '../../../lib/format'
import { routeUrl } from '../../../routes'
import { hasReason } from '../../../services/errors'
import { orderService } from '../../../services/order'
import NotMemberState from '../../components/not-member'
import './index.scss'

type Tab = 'all' | OrderStatus

const TABS: { tab: Tab; text: string }[] = [
  { tab: 'all', text: '全部' },
  { tab: 'created', text: '待付款' },
  { tab: 'paid', text: '进行中' },
  { tab: 'fulfilled', text: '已完成' },
  { tab: 'refunded', text: '已退款' },
]

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; orders: OrderView[] }

/** 我的订单: 积分兑换, 秒杀 and 拼团 orders, newest first, by status. */
export default function OrdersPage() {
  const [tab, setTab] = useState<Tab>('all')
  const [view, setView] = useState<View>({ kind: 'loading' })
  const latest = useRef(0)

  async function load(which: Tab, showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const { orders } = await orderService.list(which === 'all' ? {} : { status: which })
      if (call === latest.current) setView({ kind: 'ready', orders })
    } catch (error) {
      if (call !== latest.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => void load(tab, view.kind !== 'ready'))

  function switchTab(next: Tab) {
    if (next === tab) return
    setTab(next)
    void load(next, true)
  }

  return (
    <View className='page orders-page'>
      <View className='tabs orders-tabs'>
        {TABS.map((item) => (
          <View key={item.tab} className={`tabs__item ${tab === item.tab ? 'tabs__item--active' : ''}`} id={`orders-tab-${item.tab}`} onClick={() => switchTab(item.tab)}>
            {item.text}
          </View>
        ))}
      </View>
      {view.kind === 'loading' && <LoadingState text='正在加载订单…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load(tab, true)} />}
      {view.kind === 'not-member' && <NotMemberState title='成为会员后即可兑换和下单' />}
      {view.kind === 'ready' && view.orders.length === 0 && <EmptyState title='还没有相关订单' hint='积分兑换、秒杀和拼团的订单都会在这里' />}
      {view.kind === 'ready' && view.orders.length > 0 && (
        <View className='section orders-list' id='orders-list'>
          {view.orders.map((order, index) => (
            <View className='list-row order-row' key={order.orderId} id={`order-row-${index}`} onClick={() => void Taro.navigateTo({ url: routeUrl('order', { orderId: order.orderId }) })}>
              <View className='list-row__main'>
                <View className='list-row__title'>
                  <View className='badge order-row__kind'>{ORDER_KIND_TEXT[order.kind]}</View>
                  {order.title}
                  {order.quantity > 1 ? ` × ${order.quantity}` : ''}
                </View>
                <View className='list-row__sub'>
                  {formatShanghaiTime(order.createdAt)} · {formatPointsPrice(order.points, order.amount)}
                </View>
              </View>
              <View className={`list-row__side order-row__status order-row__status--${order.status}`} id={`order-row-status-${index}`}>
                {ORDER_STAGE_TEXT[order.stage]}
              </View>
              <View className='list-row__arrow'>›</View>
            </View>
          ))}
        </View>
      )}
    </View>
  )
}
