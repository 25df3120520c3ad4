import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { ActionResult } from '@domain/contract'
import { orderStatusText } from '@domain/order'
import { EmptyState, ErrorNotice } from '../../../components/page-state'
import { formatPointsPrice, formatShanghaiTime, normaliseCode } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { staffService } from '../../../services/staff'
import CodeEntry from '../../components/code-entry'
import '../../components/counter.scss'
import './index.scss'

type Collected = ActionResult<'staff', 'collectPickup'>

type View = { kind: 'idle' } | { kind: 'collecting' } | { kind: 'failed'; error: unknown } | { kind: 'done'; result: Collected }

const MIN_CODE_LENGTH = 10

/** 自提核销: the member's 提货码 → the pickup order handed over (已完成), once. */
export default function PickupPage() {
  const [input, setInput] = useState('')
  const [view, setView] = useState<View>({ kind: 'idle' })
  const intent = useIntent('pickup')

  /** One requestId per code: 重试 after a lost answer hands over once. */
  async function collect(raw: string) {
    const code = normaliseCode(raw)
    if (code.length < MIN_CODE_LENGTH) {
      void Taro.showToast({ title: '请输入完整的提货码', icon: 'none' })
      return
    }
    if (view.kind === 'collecting') return
    setView({ kind: 'collecting' })
    try {
      const result = await staffService.collectPickup(code, intent.idFor(code))
      intent.settle()
      setView({ kind: 'done', result })
    } catch (error) {
      setView({ kind: 'failed', error })
    }
  }

  function next() {
    setInput('')
    setView({ kind: 'idle' })
  }

  const order = view.kind === 'done' ? view.result.order : null
  const pickup = order?.fulfilment?.type === 'pickup' ? order.fulfilment : null

  return (
    <View className='page staff-pickup'>
      <CodeEntry
        idPrefix='pickup'
        scanText='扫描提货码'
        placeholder='顾客订单页「提货码」下方的字符'
        submitText='确认提货'
        value={input}
        busy={view.kind === 'collecting'}
        onChange={setInput}
        onSubmit={(value) => void collect(value)}
      />

      {view.kind === 'idle' && <EmptyState title='请扫描顾客出示的提货码' hint='积分商城门店自提订单，核对商品后交给顾客' />}
      {view.kind === 'failed' && <ErrorNotice id='pickup-error' prefix='提货失败：' error={view.error} />}
      {view.kind === 'done' && order && (
        <View className='receipt' id='pickup-result'>
          <View className='receipt__head'>
            <View className='receipt__title'>提货成功</View>
            <View className='pickup-result__title' id='pickup-title'>
              {order.title} × {order.quantity}
            </View>
            <View className='receipt__meta'>会员号 {view.result.memberNo}</View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>订单状态</View>
            <View className='list-row__side text-success' id='pickup-status'>
              {orderStatusText(order.status)}
            </View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>兑换价</View>
            <View className='list-row__side'>{formatPointsPrice(order.points, order.amount)}</View>
          </View>
          {pickup && (
            <View className='list-row'>
              <View className='list-row__title'>提货门店</View>
              <View className='list-row__side'>{pickup.storeName}</View>
            </View>
          )}
          {pickup?.collectedAt && (
            <View className='list-row'>
              <View className='list-row__title'>提货时间</View>
              <View className='list-row__side'>{formatShanghaiTime(pickup.collectedAt, 'YYYY-MM-DD HH:mm:ss')}</View>
            </View>
          )}
          <View className='receipt__meta'>订单号 {order.orderId}</View>
          <Button className='btn btn--primary counter-panel__submit' id='pickup-next' onClick={next}>
            核销下一单
          </Button>
        </View>
      )}
    </View>
  )
}
