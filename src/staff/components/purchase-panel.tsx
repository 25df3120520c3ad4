import { Button, Input, View } from '@tarojs/components'
import { useState } from 'react'
import type { MemberView, PurchaseReceipt } from '@domain/contract'
import { PAY_METHODS } from '@domain/contract'
import { flag } from '../../lib/flag'
import { PAY_METHOD_TEXT, formatFen, parseYuan } from '../../lib/format'
import { useIntent } from '../../lib/use-intent'
import { staffService } from '../../services/staff'
import { ErrorNotice } from '../../components/page-state'
import './counter.scss'

type PayMethod = (typeof PAY_METHODS)[number]
const MAX_FEN = 100_000_000

/** 记录消费: the list price in ¥ and how the member paid; the server applies the tier discount and points. */
export default function PurchasePanel({ counterToken, member, onReceipt }: { counterToken: string; member: MemberView; onReceipt: (receipt: PurchaseReceipt) => void }) {
  const [amountText, setAmountText] = useState('')
  const [payMethod, setPayMethod] = useState<PayMethod>('cash')
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const intent = useIntent('purchase')

  const amount = parseYuan(amountText)
  const amountError =
    amountText.trim() === '' ? null : amount === null || amount <= 0 ? '请输入正确的金额，最多两位小数' : amount > MAX_FEN ? '单笔金额过大' : null
  const ready = amount !== null && amount > 0 && !amountError

  /** One requestId per (member, amount, method): 重试 after a lost answer records the purchase once. */
  async function submit() {
    if (!ready || amount === null || submitting) return
    const requestId = intent.idFor(`${counterToken}|${amount}|${payMethod}`)
    setSubmitting(true)
    setError(null)
    try {
      const { receipt } = await staffService.recordPurchase({ counterToken, amount, payMethod, requestId })
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
      <View className='field'>
        <View className='field__label'>支付方式</View>
        <View className='choice-group'>
          {PAY_METHODS.map((method) => (
            <View
              key={method}
              className={`choice ${payMethod === method ? 'choice--active' : ''}`}
              id={`pay-method-${method}`}
              onClick={() => setPayMethod(method)}
            >
              {PAY_METHOD_TEXT[method]}
              {method === 'balance' && <View className='choice__sub'>余额 {formatFen(member.balance)}</View>}
            </View>
          ))}
        </View>
      </View>
      {error ? (
        <ErrorNotice id='purchase-error' error={error} />
      ) : null}
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
