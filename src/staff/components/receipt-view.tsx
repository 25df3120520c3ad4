import { Button, Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { PurchaseReceipt, RefundReceipt } from '@domain/contract'
import ConfirmDialog from '../../components/confirm-dialog'
import { ErrorNotice } from '../../components/page-state'
import { PAY_METHOD_TEXT, formatDiscount, formatFen, formatShanghaiTime } from '../../lib/format'
import { useIntent } from '../../lib/use-intent'
import { staffService } from '../../services/staff'
import './counter.scss'

/**
 * 小票: list price, tier discount, payable, points and growth earned, balances after, tier change;
 * and 退款 of the whole purchase (the server reverses points, growth and stored value).
 */
export default function ReceiptView({
  receipt,
  refunded,
  onRefunded,
}: {
  receipt: PurchaseReceipt
  /** already refunded (from the recent list) */
  refunded?: boolean
  onRefunded: (refund: RefundReceipt) => void
}) {
  const [asking, setAsking] = useState(false)
  const [refunding, setRefunding] = useState(false)
  const [refund, setRefund] = useState<RefundReceipt | null>(null)
  const [error, setError] = useState<unknown>(null)
  const intent = useIntent('refund')

  /** One requestId per purchase refunded: confirming again after a lost answer refunds once. */
  async function runRefund() {
    setRefunding(true)
    setError(null)
    try {
      const { refund: result } = await staffService.refundPurchase({ purchaseId: receipt.purchaseId, requestId: intent.idFor(receipt.purchaseId) })
      intent.settle()
      setRefund(result)
      setAsking(false)
      onRefunded(result)
    } catch (err) {
      setError(err)
      setAsking(false)
    } finally {
      setRefunding(false)
    }
  }

  const upgraded = receipt.tierBefore !== receipt.tierAfter
  /** `discount` includes the coupon's part; the tier's is what is left */
  const tierDiscount = receipt.discount - (receipt.coupon?.discount ?? 0)

  return (
    <View>
      <View className='receipt' id='receipt'>
        <View className='receipt__head'>
          <View className='receipt__title'>消费已记录</View>
          <View className='receipt__payable' id='receipt-payable'>
            {formatFen(receipt.payable)}
          </View>
          <View className='receipt__meta'>
            {receipt.nickname} · 会员号 {receipt.memberNo}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>商品原价</View>
          <View className='list-row__side' id='receipt-list-amount'>
            {formatFen(receipt.listAmount)}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>会员折扣</View>
          <View className='list-row__side' id='receipt-discount'>
            {receipt.tierBefore} {formatDiscount(receipt.discountPercent)}
            {tierDiscount > 0 ? ` −${formatFen(tierDiscount)}` : ''}
          </View>
        </View>
        {receipt.coupon && (
          <View className='list-row'>
            <View className='list-row__title'>优惠券</View>
            <View className='list-row__side' id='receipt-coupon'>
              {receipt.coupon.name} −{formatFen(receipt.coupon.discount)}
            </View>
          </View>
        )}
        <View className='list-row'>
          <View className='list-row__title'>实付金额</View>
          <View className='list-row__side text-brand' id='receipt-payable-row'>
            {formatFen(receipt.payable)}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>支付方式</View>
          <View className='list-row__side' id='receipt-pay-method'>
            {PAY_METHOD_TEXT[receipt.payMethod]}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>本次积分</View>
          <View className='list-row__side receipt__earned' id='receipt-points-earned'>
            +{receipt.pointsEarned}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>本次成长值</View>
          <View className='list-row__side receipt__earned' id='receipt-growth-earned'>
            +{receipt.growthEarned}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>积分余额</View>
          <View className='list-row__side' id='receipt-points-after'>
            {receipt.pointsAfter}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>储值余额</View>
          <View className='list-row__side' id='receipt-balance-after'>
            {formatFen(receipt.balanceAfter)}
          </View>
        </View>
        {upgraded && (
          <View className='receipt__upgrade' id='receipt-tier-change'>
            等级变化：{receipt.tierBefore} → {receipt.tierAfter}
          </View>
        )}
        <View className='receipt__meta'>
          {receipt.storeName} · 店员 {receipt.staffName} · {formatShanghaiTime(receipt.createdAt, 'YYYY-MM-DD HH:mm:ss')}
        </View>
        <View className='receipt__meta' id='receipt-no'>
          单号 {receipt.receiptNo}
        </View>
      </View>

      {refund && <RefundView refund={refund} receipt={receipt} />}

      {error ? <ErrorNotice id='refund-error' prefix='退款失败：' error={error} /> : null}

      {!refund && !refunded && (
        <Button className='btn btn--ghost counter-panel__submit' id='receipt-refund-button' onClick={() => setAsking(true)}>
          {error ? '重试退款' : '整单退款'}
        </Button>
      )}
      {!refund && refunded && <View className='notice'>这笔消费已退款</View>}

      {asking && (
        <ConfirmDialog
          id='refund-confirm'
          title={`确认整单退款 ${formatFen(receipt.payable)}？`}
          confirmText='确认退款'
          danger
          busy={refunding}
          onConfirm={() => void runRefund()}
          onCancel={() => setAsking(false)}
        >
          <View>
            将扣回本次获得的 {receipt.pointsEarned} 积分和 {receipt.growthEarned} 成长值。
          </View>
          <View>
            {receipt.payMethod === 'balance'
              ? `储值支付的 ${formatFen(receipt.payable)} 将退回会员储值。`
              : `${PAY_METHOD_TEXT[receipt.payMethod]}收取的 ${formatFen(receipt.payable)} 请按门店流程退还顾客。`}
          </View>
        </ConfirmDialog>
      )}
    </View>
  )
}

function RefundView({ refund, receipt }: { refund: RefundReceipt; receipt: PurchaseReceipt }) {
  return (
    <View className='receipt' id='refund-receipt'>
      <View className='receipt__head'>
        <View className='receipt__title receipt__title--refund'>已整单退款</View>
        <View className='receipt__meta'>退款单号 {refund.refundNo}</View>
      </View>
      {refund.balanceReturned > 0 && (
        <View className='list-row'>
          <View className='list-row__title'>退回储值</View>
          <View className='list-row__side' id='refund-balance-returned'>
            {formatFen(refund.balanceReturned)}
          </View>
        </View>
      )}
      {receipt.payMethod !== 'balance' && (
        <View className='list-row'>
          <View className='list-row__title'>应退{PAY_METHOD_TEXT[receipt.payMethod]}</View>
          <View className='list-row__side'>{formatFen(receipt.payable)}</View>
        </View>
      )}
      <View className='list-row'>
        <View className='list-row__title'>扣回积分</View>
        <View className='list-row__side' id='refund-points'>
          <Text>−{refund.pointsClawedBack}</Text>
          {refund.pointsOwedAdded > 0 ? <Text className='text-danger'>（其中 {refund.pointsOwedAdded} 已被使用，计入待抵扣）</Text> : null}
        </View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>扣回成长值</View>
        <View className='list-row__side'>−{refund.growthClawedBack}</View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>积分 / 待抵扣</View>
        <View className='list-row__side' id='refund-points-after'>
          {refund.pointsAfter} / {refund.pointsOwedAfter}
        </View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>储值余额</View>
        <View className='list-row__side' id='refund-balance-after'>
          {formatFen(refund.balanceAfter)}
        </View>
      </View>
    </View>
  )
}
