import { Button, View } from '@tarojs/components'
import type { ActionResult } from '@domain/contract'
import { couponSummary, usableInText } from '../../../lib/coupon-text'
import { formatShanghaiTime } from '../../../lib/format'
import { staffService } from '../../../services/staff'
import CodeEntry from '../../components/code-entry'
import '../../components/counter.scss'
import './index.scss'

type Redeemed = ActionResult<'staff', 'redeemCoupon'>

/** 核销券码: the coupon's own code (出示券码 on the member's phone) → used, once. */
export default function RedeemCouponPage() {
  return (
    <View className='page staff-redeem'>
      <CodeEntry
        idPrefix='redeem'
        intentPrefix='redeem'
        scanText='扫描券码'
        placeholder='券码下方的 18 位数字'
        submitText='核销'
        incompleteText='券码是 18 位数字，请核对'
        idleTitle='请扫描顾客出示的券码'
        idleHint='券码每 5 分钟更新，请让顾客当场出示；每张券只能核销一次'
        errorPrefix='核销失败：'
        submit={(code, requestId) => staffService.redeemCoupon(code, requestId)}
        renderResult={(result, next) => <RedeemResult result={result} onNext={next} />}
      />
    </View>
  )
}

function RedeemResult({ result, onNext }: { result: Redeemed; onNext: () => void }) {
  const { coupon } = result
  return (
    <View className='receipt' id='redeem-result'>
      <View className='receipt__head'>
        <View className='receipt__title'>核销成功</View>
        <View className='redeem-result__name' id='redeem-coupon-name'>
          {coupon.name}
        </View>
        <View className='receipt__meta'>会员号 {result.memberNo}</View>
      </View>
      {coupon.kind === 'gift' ? (
        <View className='list-row'>
          <View className='list-row__title'>请发放礼品</View>
          <View className='list-row__side receipt__earned' id='redeem-gift'>
            {coupon.giftName ?? '到店礼'}
          </View>
        </View>
      ) : (
        <View className='list-row'>
          <View className='list-row__title'>优惠</View>
          <View className='list-row__side' id='redeem-terms'>
            {couponSummary(coupon)}
          </View>
        </View>
      )}
      <View className='list-row'>
        <View className='list-row__title'>适用</View>
        <View className='list-row__side'>{usableInText(coupon.usableIn)}</View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>核销时间</View>
        <View className='list-row__side' id='redeem-at'>
          {coupon.usedAt ? formatShanghaiTime(coupon.usedAt, 'YYYY-MM-DD HH:mm:ss') : '—'}
        </View>
      </View>
      <Button className='btn btn--primary counter-panel__submit' id='redeem-next' onClick={onNext}>
        核销下一张
      </Button>
    </View>
  )
}
