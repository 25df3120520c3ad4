import { Button, View } from '@tarojs/components'
import type { ActionResult } from '@domain/contract'
import { ORDER_STAGE_TEXT } from '@domain/orders'
import { formatPointsPrice, formatShanghaiTime } from '../../../lib/format'
import { staffService } from '../../../services/staff'
import CodeEntry from '../../components/code-entry'
import '../../components/counter.scss'
import './index.scss'

type Collected = ActionResult<'staff', 'collectPickup'>

/** 自提核销: the member's 提货码 → the pickup order handed over (已完成), once. */
export default function PickupPage() {
  return (
    <View className='page staff-pickup'>
      <CodeEntry
        idPrefix='pickup'
        intentPrefix='pickup'
        scanText='扫描提货码'
        placeholder='提货码下方的 18 位数字'
        submitText='确认提货'
        incompleteText='提货码是 18 位数字，请核对'
        idleTitle='请扫描顾客出示的提货码'
        idleHint='积分商城门店自提订单，核对商品后交给顾客'
        errorPrefix='提货失败：'
        submit={(code, requestId) => staffService.collectPickup(code, requestId)}
        renderResult={(result, next) => <PickupResult result={result} onNext={next} />}
      />
    </View>
  )
}

function PickupResult({ result, onNext }: { result: Collected; onNext: () => void }) {
  const { order } = result
  if (!order) return null
  const pickup = order.fulfilment?.type === 'pickup' ? order.fulfilment : null
  return (
    <View className='receipt' id='pickup-result'>
      <View className='receipt__head'>
        <View className='receipt__title'>提货成功</View>
        <View className='pickup-result__title' id='pickup-title'>
          {order.title} × {order.quantity}
        </View>
        <View className='receipt__meta'>会员号 {result.memberNo}</View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>订单状态</View>
        <View className='list-row__side text-success' id='pickup-status'>
          {ORDER_STAGE_TEXT[order.stage]}
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
      <View className='receipt__meta'>订单号 {order.orderNo}</View>
      <Button className='btn btn--primary counter-panel__submit' id='pickup-next' onClick={onNext}>
        核销下一单
      </Button>
    </View>
  )
}
