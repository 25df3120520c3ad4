import { Button, Input, View } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import type { CouponView, MemberView, PurchaseReceipt } from '@domain/contract'
import { PAY_METHODS } from '@domain/contract'
import { couponFigure, couponSummary } from '../../lib/coupon-text'
import { flag } from '../../lib/flag'
import { PAY_METHOD_TEXT, formatFen, formatShanghaiTime, parseYuan } from '../../lib/format'
import { useIntent } from '../../lib/use-intent'
import { staffService } from '../../services/staff'
import { describeError } from '../../services/errors'
import { ErrorNotice } from '../../components/page-state'
import './counter.scss'

type PayMethod = (typeof PAY_METHODS)[number]
const MAX_FEN = 100_000_000

/** The member's coupons usable in store now (staff.memberCoupons), for the picker. */
type Coupons = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; coupons: CouponView[] }

/**
 * 记录消费: the list price in ¥, an optional coupon of the member's, and how the member paid; the
 * server applies the tier discount, then the coupon, and the points.
 */
export default function PurchasePanel({ counterToken, member, onReceipt }: { counterToken: string; member: MemberView; onReceipt: (receipt: PurchaseReceipt) => void }) {
  const [amountText, setAmountText] = useState('')
  const [payMethod, setPayMethod] = useState<PayMethod>('cash')
  const [couponId, setCouponId] = useState<string | null>(null)
  const [coupons, setCoupons] = useState<Coupons>({ kind: 'loading' })
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const intent = useIntent('purchase')

  const loadCoupons = useCallback(async () => {
    setCoupons({ kind: 'loading' })
    try {
      const { coupons: usable } = await staffService.memberCoupons(counterToken)
      // gifts are handed over at 核销券码, not taken off a purchase
      setCoupons({ kind: 'ready', coupons: usable.filter((coupon) => coupon.kind !== 'gift') })
    } catch (err) {
      setCoupons({ kind: 'error', error: err })
    }
  }, [counterToken])

  useEffect(() => {
    void loadCoupons()
  }, [loadCoupons])

  const amount = parseYuan(amountText)
  const amountError = amountText.trim() === '' ? null : amount === null || amount <= 0 ? '请输入正确的金额，最多两位小数' : amount > MAX_FEN ? '单笔金额过大' : null
  const ready = amount !== null && amount > 0 && !amountError

  /** One requestId per (member, amount, method, coupon): 重试 after a lost answer records the purchase once. */
  async function submit() {
    if (!ready || amount === null || submitting) return
    const requestId = intent.idFor(`${counterToken}|${amount}|${payMethod}|${couponId ?? ''}`)
    setSubmitting(true)
    setError(null)
    try {
      const { receipt } = await staffService.recordPurchase({ counterToken, amount, payMethod, requestId, ...(couponId ? { couponId } : {}) })
      intent.settle()
      setAmountText('')
      onReceipt(receipt)
    } catch (err) {
      setError(err)
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <View className='counter-panel' id='purchase-panel'>
      <View className='field'>
        <View className='field__label'>商品原价（元）</View>
        <Input
          className='field-input field__control counter-money-input'
          id='purchase-amount'
          type='digit'
          placeholder='如 199.00'
          value={amountText}
          maxlength={12}
          onInput={(event) => setAmountText(event.detail.value)}
        />
        {amountError ? (
          <View className='field__error' id='purchase-amount-error'>
            {amountError}
          </View>
        ) : (
          <View className='field__hint'>按原价录入，系统自动计算{member.tier.name}折扣和积分</View>
        )}
      </View>
      <View className='field' id='coupon-picker'>
        <View className='field__label'>优惠券</View>
        {coupons.kind === 'loading' && <View className='field__hint'>正在读取会员的优惠券…</View>}
        {coupons.kind === 'error' && (
          <View className='coupon-picker__error'>
            <View className='field__error' id='coupon-picker-error'>
              优惠券读取失败：{describeError(coupons.error)}
            </View>
            <Button className='btn btn--ghost btn--small' id='coupon-picker-retry' onClick={() => void loadCoupons()}>
              重试
            </Button>
          </View>
        )}
        {coupons.kind === 'ready' && coupons.coupons.length === 0 && <View className='field__hint'>该会员没有可在门店使用的优惠券</View>}
        {coupons.kind === 'ready' && coupons.coupons.length > 0 && (
          <>
            <View className={`coupon-pick ${couponId === null ? 'coupon-pick--active' : ''}`} id='coupon-none' onClick={() => setCouponId(null)}>
              <View className='coupon-pick__name'>不使用优惠券</View>
            </View>
            {coupons.coupons.map((coupon, index) => {
              // the threshold applies after the tier discount: below it on the list price it can never apply
              const short = amount !== null && amount < coupon.threshold
              return (
                <View
                  key={coupon.couponId}
                  className={`coupon-pick ${couponId === coupon.couponId ? 'coupon-pick--active' : ''} ${short ? 'coupon-pick--short' : ''}`}
                  id={`coupon-pick-${index}`}
                  onClick={() => setCouponId(coupon.couponId)}
                >
                  <View>
                    <View className='coupon-pick__name'>{coupon.name}</View>
                    <View className='coupon-pick__terms'>
                      {couponSummary(coupon)} · {formatShanghaiTime(coupon.validTo, 'MM-DD')} 到期{short ? ' · 未满门槛' : ''}
                    </View>
                  </View>
                  <View className='coupon-pick__side'>{couponFigure(coupon)}</View>
                </View>
              )
            })}
          </>
        )}
      </View>
      <View className='field'>
        <View className='field__label'>支付方式</View>
        <View className='choice-group'>
          {PAY_METHODS.map((method) => (
            <View key={method} className={`choice ${payMethod === method ? 'choice--active' : ''}`} id={`pay-method-${method}`} onClick={() => setPayMethod(method)}>
              {PAY_METHOD_TEXT[method]}
              {method === 'balance' && <View className='choice__sub'>余额 {formatFen(member.balance)}</View>}
            </View>
          ))}
        </View>
      </View>
      {error ? <ErrorNotice id='purchase-error' error={error} /> : null}
      <Button
        className={`btn ${ready ? 'btn--primary' : 'btn--disabled'} counter-panel__submit`}
        id='purchase-submit'
        disabled={flag(!ready || submitting)}
        loading={flag(submitting)}
        onClick={() => void submit()}
      >
        {error ? '重试' : '确认记录消费'}
      </Button>
    </View>
  )
}
