import { View } from '@tarojs/components'
import { useEffect } from 'react'
import { formatFen } from '../../../lib/format'
import './index.scss'

export type CashPayMethod = 'balance' | 'wechat'

/**
 * How the cash part is paid: 储值 (the member's balance, shown) or 微信支付. Each choice is a full
 * tap target. A balance that cannot pay is marked 余额不足 and cannot be chosen: the choice moves
 * to 微信支付, so the default is always a method that can pay.
 */
export default function PayMethodPicker({
  value,
  balance,
  amount,
  onChange,
  idPrefix = 'pay',
}: {
  value: CashPayMethod
  /** stored value in fen, when known */
  balance: number | null
  /** what is to be paid, fen: a balance below it is marked 余额不足 */
  amount: number
  onChange: (method: CashPayMethod) => void
  idPrefix?: string
}) {
  const short = balance !== null && balance < amount
  useEffect(() => {
    if (short && value === 'balance') onChange('wechat')
  }, [short, value, onChange])
  return (
    <View className='choice-group pay-method'>
      <View
        className={`choice ${value === 'balance' ? 'choice--active' : ''} ${short ? 'choice--disabled' : ''}`}
        id={`${idPrefix}-balance`}
        aria-disabled={short}
        onClick={() => {
          if (!short) onChange('balance')
        }}
      >
        储值支付
        {balance !== null && <View className={`choice__sub ${short ? 'pay-method__short' : ''}`}>{short ? `余额不足 ${formatFen(balance)}` : `余额 ${formatFen(balance)}`}</View>}
      </View>
      <View className={`choice ${value === 'wechat' ? 'choice--active' : ''}`} id={`${idPrefix}-wechat`} onClick={() => onChange('wechat')}>
        微信支付
      </View>
    </View>
  )
}
