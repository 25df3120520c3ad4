import { Input, View } from '@tarojs/components'
import { Button } from '../../components/button'
import { useEffect, useState } from 'react'
import type { TopupOption, TopupReceipt } from '@domain/contract'
import { FEN_MAX } from '@domain/contract'
import { flag } from '../../lib/flag'
import { PAY_METHOD_TEXT, formatFen, formatTopupOffer, formatYuanShort, checkYuan } from '../../lib/format'
import { useIntent } from '../../lib/use-intent'
import { paymentService } from '../../services/payment'
import { staffService } from '../../services/staff'
import { ErrorNotice } from '../../components/page-state'
import './counter.scss'

type Method = 'cash' | 'wechat'
const METHODS: Method[] = ['cash', 'wechat']

/** 储值充值 at the counter: cash or WeChat collected by the store; the bonus (充500送50) is the brand's rule. */
export default function TopupPanel({ counterToken, onDone }: { counterToken: string; onDone: (topup: TopupReceipt) => void }) {
  const [amountText, setAmountText] = useState('')
  const [method, setMethod] = useState<Method>('cash')
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [presets, setPresets] = useState<TopupOption[]>([])
  const [limits, setLimits] = useState<{ min: number; max: number } | null>(null)
  const intent = useIntent('ctopup')

  useEffect(() => {
    let live = true
    // the presets and their bonus, when the brand's options can be read; the server decides either way
    paymentService
      .topupOptions()
      .then((options) => {
        if (!live) return
        setPresets(options.options)
        setLimits({ min: options.minAmount, max: options.maxAmount })
      })
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [])

  const max = limits?.max ?? FEN_MAX
  const { fen: amount, problem: amountError } = checkYuan(amountText, {
    min: limits?.min,
    max,
    tooSmall: limits ? `单笔最低充值 ${formatFen(limits.min)}` : undefined,
    tooLarge: `单笔最多充值 ${formatFen(max)}`,
  })
  const ready = amount !== null && !amountError
  const preset = presets.find((option) => option.amount === amount)

  async function submit() {
    if (!ready || amount === null || submitting) return
    const requestId = intent.idFor(`${counterToken}|${amount}|${method}`)
    setSubmitting(true)
    setError(null)
    try {
      const { topup } = await staffService.topup({ counterToken, amount, payMethod: method, requestId })
      intent.settle()
      setAmountText('')
      onDone(topup)
    } catch (err) {
      setError(err)
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <View className='counter-panel' id='counter-topup-panel'>
      {presets.length > 0 && (
        <View className='choice-group'>
          {presets.map((option) => (
            <View
              key={option.amount}
              className={`choice ${amount === option.amount ? 'choice--active' : ''}`}
              id={`counter-topup-option-${option.amount}`}
              onClick={() => setAmountText(formatYuanShort(option.amount))}
            >
              {formatFen(option.amount)}
              <View className='choice__sub'>{option.bonus > 0 ? formatTopupOffer(option.amount, option.bonus) : '无赠送'}</View>
            </View>
          ))}
        </View>
      )}
      <View className='field'>
        <View className='field__label'>充值金额（元）</View>
        <Input
          className='field-input field__control counter-money-input'
          id='counter-topup-amount'
          type='digit'
          placeholder='如 500'
          value={amountText}
          maxlength={12}
          onInput={(event) => setAmountText(event.detail.value)}
        />
        {amountError ? (
          <View className='field__error'>{amountError}</View>
        ) : (
          <View className='field__hint' id='counter-topup-bonus'>
            {preset && preset.bonus > 0 ? `本次赠送 ${formatFen(preset.bonus)}，共到账 ${formatFen(preset.amount + preset.bonus)}` : '赠送金额按品牌储值活动自动计算'}
          </View>
        )}
      </View>
      <View className='field'>
        <View className='field__label'>收款方式</View>
        <View className='choice-group'>
          {METHODS.map((value) => (
            <View key={value} className={`choice ${method === value ? 'choice--active' : ''}`} id={`topup-method-${value}`} onClick={() => setMethod(value)}>
              {PAY_METHOD_TEXT[value]}
            </View>
          ))}
        </View>
      </View>
      {error ? <ErrorNotice id='counter-topup-error' error={error} /> : null}
      <Button
        className={`btn ${ready ? 'btn--primary' : 'btn--disabled'} counter-panel__submit`}
        id='counter-topup-submit'
        disabled={flag(!ready || submitting)}
        loading={flag(submitting)}
        onClick={() => void submit()}
      >
        {error ? '重试' : '确认充值'}
      </Button>
    </View>
  )
}
