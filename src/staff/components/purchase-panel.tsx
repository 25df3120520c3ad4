import { Input, View } from '@tarojs/components'
import { Button } from '../../components/button'
import { useCallback, useEffect, useState } from 'react'
import type { CouponView, MemberView, PurchaseQuoteView, PurchaseReceipt } from '@domain/contract'
import { FEN_MAX, PAY_METHODS } from '@domain/contract'
import { couponFigure, couponSummary } from '../../lib/coupon-text'
import { flag } from '../../lib/flag'
import { PAY_METHOD_TEXT, checkYuan, formatFen, formatShanghaiTime } from '../../lib/format'
import { useIntent } from '../../lib/use-intent'
import { staffService } from '../../services/staff'
import { canRetry, describeError } from '../../services/errors'
import { ErrorNotice } from '../../components/page-state'
import './counter.scss'

type PayMethod = (typeof PAY_METHODS)[number]
/** How long the amount rests before the preview is asked for. */
const QUOTE_DELAY_MS = 300

/** The member's coupons usable in store now (staff.memberCoupons), for the picker. */
type Coupons = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; coupons: CouponView[] }

/** 应收预览 (staff.quotePurchase) for the amount typed, when there is one. */
type Quote = { kind: 'none' } | { kind: 'loading'; amount: number } | { kind: 'error'; amount: number; error: unknown } | { kind: 'ready'; amount: number; quote: PurchaseQuoteView }

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

  const { fen: amount, problem: amountError } = checkYuan(amountText, { max: FEN_MAX, tooLarge: `单笔最多 ${formatFen(FEN_MAX)}` })
  const [quote, setQuote] = useState<Quote>({ kind: 'none' })

  useEffect(() => {
    if (amount === null) {
      setQuote({ kind: 'none' })
      return
    }
    let live = true
    setQuote({ kind: 'loading', amount })
    const timer = setTimeout(() => {
      staffService.quotePurchase(counterToken, amount).then(
        ({ quote: answer }) => live && setQuote({ kind: 'ready', amount, quote: answer }),
        (err: unknown) => live && setQuote({ kind: 'error', amount, error: err }),
      )
    }, QUOTE_DELAY_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [amount, counterToken])

  const quoted = quote.kind === 'ready' && quote.amount === amount ? quote.quote : null
  const couponQuote = (id: string) => quoted?.coupons.find((one) => one.couponId === id) ?? null
  // a coupon the new amount cannot take is let go, so what is recorded is what the preview shows
  const chosen = couponId && quoted && couponQuote(couponId)?.applicable === false ? null : couponId
  useEffect(() => {
    if (chosen !== couponId) setCouponId(chosen)
  }, [chosen, couponId])
  const ready = amount !== null && !amountError && quoted !== null
  // a refusal belongs to what was submitted: changing it clears the refusal
  useEffect(() => setError(null), [amount, chosen, payMethod])
  // the chosen coupon's figures, else the purchase without one
  const total = quoted ? (chosen && couponQuote(chosen)) || { payable: quoted.payable, points: quoted.points, couponDiscount: 0 } : null
  // 储值支付 only when the balance covers what is to collect (an empty balance never does)
  const balanceShort = member.balance <= 0 || (total !== null && member.balance < total.payable)
  useEffect(() => {
    if (balanceShort && payMethod === 'balance') setPayMethod('cash')
  }, [balanceShort, payMethod])

  /** One requestId per (member, amount, method, coupon): 重试 after a lost answer records the purchase once. */
  async function submit() {
    if (!ready || amount === null || submitting) return
    const requestId = intent.idFor(`${counterToken}|${amount}|${payMethod}|${chosen ?? ''}`)
    setSubmitting(true)
    setError(null)
    try {
      const { receipt } = await staffService.recordPurchase({ counterToken, amount, payMethod, requestId, ...(chosen ? { couponId: chosen } : {}) })
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
              // the threshold applies after the tier discount: the preview says which coupons this amount can take
              const priced = couponQuote(coupon.couponId)
              const blocked = priced !== null && !priced.applicable
              return (
                <View
                  key={coupon.couponId}
                  className={`coupon-pick ${chosen === coupon.couponId ? 'coupon-pick--active' : ''} ${blocked ? 'coupon-pick--disabled' : ''}`}
                  id={`coupon-pick-${index}`}
                  aria-disabled={blocked}
                  onClick={() => {
                    if (!blocked) setCouponId(coupon.couponId)
                  }}
                >
                  <View>
                    <View className='coupon-pick__name'>{coupon.name}</View>
                    <View className='coupon-pick__terms'>
                      {couponSummary(coupon)} · {formatShanghaiTime(coupon.validTo, 'MM-DD')} 到期
                    </View>
                    {blocked && priced.shortBy !== null ? (
                      <View className='coupon-pick__reason' id={`coupon-pick-${index}-reason`}>
                        折后还差 {formatFen(priced.shortBy)} 可用
                      </View>
                    ) : null}
                    {priced?.applicable && priced.couponDiscount > 0 ? <View className='coupon-pick__saving'>本单再减 {formatFen(priced.couponDiscount)}</View> : null}
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
            <View
              key={method}
              className={`choice ${payMethod === method ? 'choice--active' : ''}${method === 'balance' && balanceShort ? ' choice--disabled' : ''}`}
              id={`pay-method-${method}`}
              onClick={() => (method === 'balance' && balanceShort ? undefined : setPayMethod(method))}
            >
              {PAY_METHOD_TEXT[method]}
              {method === 'balance' && <View className='choice__sub'>{balanceShort ? `余额不足 ${formatFen(member.balance)}` : `余额 ${formatFen(member.balance)}`}</View>}
            </View>
          ))}
        </View>
      </View>
      {amount !== null && !amountError ? (
        <View className='purchase-quote' id='purchase-quote'>
          {quote.kind === 'error' && quote.amount === amount ? (
            <View className='field__error'>应收金额计算失败：{describeError(quote.error)}</View>
          ) : quoted && total ? (
            <>
              <View className='purchase-quote__row'>
                <View>原价</View>
                <View>{formatFen(quoted.listAmount)}</View>
              </View>
              {quoted.tierDiscount > 0 ? (
                <View className='purchase-quote__row'>
                  <View>{member.tier.name}折扣</View>
                  <View>-{formatFen(quoted.tierDiscount)}</View>
                </View>
              ) : null}
              {total.couponDiscount > 0 ? (
                <View className='purchase-quote__row'>
                  <View>优惠券</View>
                  <View>-{formatFen(total.couponDiscount)}</View>
                </View>
              ) : null}
              <View className='purchase-quote__row purchase-quote__row--total'>
                <View>应收</View>
                <View id='purchase-quote-payable'>{formatFen(total.payable)}</View>
              </View>
              <View className='purchase-quote__row purchase-quote__row--points'>
                <View>本单积分</View>
                <View id='purchase-quote-points'>+{total.points}</View>
              </View>
            </>
          ) : (
            <View className='field__hint'>正在计算应收金额…</View>
          )}
        </View>
      ) : null}
      {error ? <ErrorNotice id='purchase-error' error={error} /> : null}
      <Button
        className={`btn ${ready ? 'btn--primary' : 'btn--disabled'} counter-panel__submit`}
        id='purchase-submit'
        disabled={flag(!ready || submitting)}
        loading={flag(submitting)}
        onClick={() => void submit()}
      >
        {error && canRetry(error) ? '重试' : total ? `确认收款 ${formatFen(total.payable)}` : '确认记录消费'}
      </Button>
    </View>
  )
}
