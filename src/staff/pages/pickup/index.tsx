import { View } from '@tarojs/components'
import { Button } from '../../../components/button'
import { useState } from 'react'
import type { ActionResult } from '@domain/contract'
import { ORDER_STAGE_TEXT } from '@domain/orders'
import { ErrorNotice } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { formatPointsPrice, formatShanghaiTime } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { canRetry } from '../../../services/errors'
import { staffService } from '../../../services/staff'
import CodeEntry from '../../components/code-entry'
import '../../components/counter.scss'
import './index.scss'

type Pickup = ActionResult<'staff', 'previewPickup'> & { code: string }

/**
 * 自提核销: the member's 提货码 → what to hand over (nothing changes yet) → 确认交付 hands the
 * order over (已完成), once.
 */
export default function PickupPage() {
  return (
    <View className='page staff-pickup'>
      <CodeEntry
        idPrefix='pickup'
        intentPrefix='pickup-look'
        scanText='扫描提货码'
        placeholder='提货码下方的 18 位数字'
        submitText='查看提货单'
        incompleteText='提货码是 18 位数字，请核对'
        idleTitle='请扫描顾客出示的提货码'
        idleHint='先核对提货单上的商品和数量，再交给顾客'
        errorPrefix='提货码无法使用：'
        submit={async (code) => ({ ...(await staffService.previewPickup(code)), code })}
        renderResult={(pickup, next) => <HandOver key={pickup.code} pickup={pickup} onNext={next} />}
      />
    </View>
  )
}

type Step = { kind: 'checking' } | { kind: 'handing' } | { kind: 'failed'; error: unknown } | { kind: 'done'; collected: ActionResult<'staff', 'collectPickup'> }

/** The pickup slip: what to hand over; 确认交付 records it (one requestId per code, so a retry after a lost answer hands over once). */
function HandOver({ pickup, onNext }: { pickup: Pickup; onNext: () => void }) {
  const [step, setStep] = useState<Step>({ kind: 'checking' })
  const intent = useIntent('pickup')
  const order = step.kind === 'done' ? step.collected.order : pickup.order
  const place = order.fulfilment?.type === 'pickup' ? order.fulfilment : null
  const done = step.kind === 'done'

  async function handOver() {
    setStep({ kind: 'handing' })
    try {
      const collected = await staffService.collectPickup(pickup.code, intent.idFor(pickup.code))
      intent.settle()
      setStep({ kind: 'done', collected })
    } catch (error) {
      setStep({ kind: 'failed', error })
    }
  }

  return (
    <View className='receipt' id={done ? 'pickup-result' : 'pickup-preview'}>
      <View className='receipt__head'>
        <View className={`receipt__title ${done ? '' : 'pickup-slip__title'}`}>{done ? '提货成功' : '请核对后交付'}</View>
        <View className='pickup-result__title' id='pickup-title'>
          {order.title} × {order.quantity}
        </View>
        <View className='receipt__meta'>会员号 {pickup.memberNo}</View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>订单状态</View>
        <View className={`list-row__side ${done ? 'text-success' : ''}`} id='pickup-status'>
          {ORDER_STAGE_TEXT[order.stage]}
        </View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>{order.kind === 'mall' ? '兑换价' : '实付'}</View>
        <View className='list-row__side'>{formatPointsPrice(order.points, order.amount)}</View>
      </View>
      {place && (
        <View className='list-row'>
          <View className='list-row__title'>提货门店</View>
          <View className='list-row__side'>{place.storeName}</View>
        </View>
      )}
      {place?.collectedAt && (
        <View className='list-row'>
          <View className='list-row__title'>提货时间</View>
          <View className='list-row__side'>{formatShanghaiTime(place.collectedAt, 'YYYY-MM-DD HH:mm:ss')}</View>
        </View>
      )}
      <View className='receipt__meta'>订单号 {order.orderNo}</View>
      {step.kind === 'failed' ? <ErrorNotice id='pickup-error' prefix='交付失败：' error={step.error} /> : null}
      {done || (step.kind === 'failed' && !canRetry(step.error)) ? (
        <Button className='btn btn--primary counter-panel__submit' id='pickup-next' onClick={onNext}>
          {done ? '核销下一单' : '返回'}
        </Button>
      ) : (
        <View className='pickup-actions'>
          <Button className='btn btn--ghost' id='pickup-cancel' disabled={flag(step.kind === 'handing')} onClick={onNext}>
            取消
          </Button>
          <Button className='btn btn--primary' id='pickup-confirm' loading={flag(step.kind === 'handing')} disabled={flag(step.kind === 'handing')} onClick={() => void handOver()}>
            {step.kind === 'failed' ? '重试交付' : '确认交付'}
          </Button>
        </View>
      )}
    </View>
  )
}
