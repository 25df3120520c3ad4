import { Input, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ProfileView } from '@domain/contract'
import { payPasswordDigits } from '../../../lib/format'
import { routeUrl } from '../../../routes'
import { isServiceError } from '../../../services/errors'
import './index.scss'

export type PayPasswordInfo = ProfileView['payPassword']

/** Whether paying `amount` fen from stored value online asks for the 支付密码 (the brand's amount, from the profile). */
export function asksPayPassword(info: PayPasswordInfo | null, amount: number): boolean {
  return info !== null && amount > info.requiredAbove
}

/** A wrong password says how many attempts are left (the server counts them); null for any other error. */
export function wrongPayPasswordText(error: unknown): string | null {
  if (!isServiceError(error) || error.reason !== 'PAY_PASSWORD_WRONG') return null
  const left = Number(/\d+/.exec(error.fields?.[0]?.message ?? '')?.[0])
  return Number.isFinite(left) && left > 0 ? `支付密码错误，还可尝试 ${left} 次` : '支付密码错误'
}

/**
 * 支付密码 in a payment's confirmation (stored value above the brand's amount): six hidden digits;
 * with none set yet, or one locked by wrong attempts, says where to go instead.
 */
export default function PayPasswordField({ info, value, onChange, id = 'pay-password' }: { info: PayPasswordInfo; value: string; onChange: (digits: string) => void; id?: string }) {
  if (info.state === 'unset') {
    return (
      <View className='notice pay-password' id={`${id}-unset`}>
        储值支付超过 ¥{(info.requiredAbove / 100).toFixed(0)} 需要支付密码，你还没有设置。
        <View className='pay-password__link' id={`${id}-set-link`} onClick={() => void Taro.navigateTo({ url: routeUrl('profile') })}>
          去设置支付密码 ›
        </View>
      </View>
    )
  }
  if (info.state === 'locked') {
    return (
      <View className='notice notice--error pay-password' id={`${id}-locked`}>
        支付密码错误次数过多，已锁定。请到门店核验手机号后重置，或选择微信支付。
      </View>
    )
  }
  return (
    <View className='field pay-password'>
      <View className='field__label'>支付密码</View>
      <Input
        className='field-input field__control pay-password__input'
        id={id}
        type='number'
        password
        maxlength={6}
        placeholder='6 位数字'
        value={value}
        onInput={(event) => onChange(payPasswordDigits(event.detail.value))}
      />
    </View>
  )
}
