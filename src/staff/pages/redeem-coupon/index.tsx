import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { ActionResult } from '@domain/contract'
import { EmptyState, ErrorNotice } from '../../../components/page-state'
import { couponSummary, usableInText } from '../../../lib/coupon-text'
import { formatShanghaiTime, normaliseCode } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { staffService } from '../../../services/staff'
import CodeEntry from '../../components/code-entry'
import '../../components/counter.scss'
import './index.scss'

type Redeemed = ActionResult<'staff', 'redeemCoupon'>

type View = { kind: 'idle' } | { kind: 'redeeming' } | { kind: 'failed'; error: unknown } | { kind: 'done'; result: Redeemed }

const MIN_CODE_LENGTH = 10

/** 核销券码: the coupon's own code (出示券码 on the member's phone) → used, once. */
export default function RedeemCouponPage() {
  const [input, setInput] = useState('')
  const [view, setView] = useState<View>({ kind: 'idle' })
  const intent = useIntent('redeem')

  /** One requestId per code: 重试 after a lost answer redeems once. */
  async function redeem(raw: string) {
    const code = normaliseCode(raw)
    if (code.length < MIN_CODE_LENGTH) {
      void Taro.showToast({ title: '请输入完整的券码', icon: 'none' })
      return
    }
    if (view.kind === 'redeeming') return
    setView({ kind: 'redeeming' })
    try {
      const result = await staffService.redeemCoupon(code, intent.idFor(code))
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

  return (
    <View className='page staff-redeem'>
      <CodeEntry
        idPrefix='redeem'
        scanText='扫描券码'
        placeholder='顾客「出示券码」页二维码下方的字符'
        submitText='核销'
        value={input}
        busy={view.kind === 'redeeming'}
        onChange={setInput}
        onSubmit={(value) => void redeem(value)}
      />

      {view.kind === 'idle' && <EmptyState title='请扫描顾客出示的券码' hint='券码每 5 分钟更新，请让顾客当场出示；每张券只能核销一次' />}
      {view.kind === 'failed' && <ErrorNotice id='redeem-error' prefix='核销失败：' error={view.error} />}
      {view.kind === 'done' && (
        <View className='receipt' id='redeem-result'>
          <View className='receipt__head'>
            <View className='receipt__title'>核销成功</View>
            <View className='redeem-result__name' id='redeem-coupon-name'>
              {view.result.coupon.name}
            </View>
            <View className='receipt__meta'>会员号 {view.result.memberNo}</View>
          </View>
          {view.result.coupon.kind === 'gift' ? (
            <View className='list-row'>
              <View className='list-row__title'>请发放礼品</View>
              <View className='list-row__side receipt__earned' id='redeem-gift'>
                {view.result.coupon.giftName ?? '到店礼'}
              </View>
            </View>
          ) : (
            <View className='list-row'>
              <View className='list-row__title'>优惠</View>
              <View className='list-row__side' id='redeem-terms'>
                {couponSummary(view.result.coupon)}
              </View>
            </View>
          )}
          <View className='list-row'>
            <View className='list-row__title'>适用</View>
            <View className='list-row__side'>{usableInText(view.result.coupon.usableIn)}</View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>核销时间</View>
            <View className='list-row__side' id='redeem-at'>
              {view.result.coupon.usedAt ? formatShanghaiTime(view.result.coupon.usedAt, 'YYYY-MM-DD HH:mm:ss') : '—'}
            </View>
          </View>
          <Button className='btn btn--primary counter-panel__submit' id='redeem-next' onClick={next}>
            核销下一张
          </Button>
        </View>
      )}
    </View>
  )
}
