import type { ButtonProps } from '@tarojs/components'
import type { BaseEventOrig } from '@tarojs/components/types/common'
import { Button } from '../button'
import { flag } from '../../lib/flag'
import { readDevSession } from '../../services/session'

/** In H5 development the emulator's WeChat stand-in answers this code with the number of the signed-in WeChat account. */
function h5DevPhoneCode(): string {
  return `h5-dev-code:${readDevSession()?.openid ?? ''}`
}

/**
 * WeChat's phone-number authorisation (手机号快速验证): on weapp a getPhoneNumber button whose
 * one-time code the server exchanges for the number; H5 has no WeChat, so a dev button sends the
 * emulator's fixed code. `onRefused` hears a cancelled or failed authorisation (a sentence to show).
 */
export default function PhoneAuthButton({
  id,
  className,
  text,
  busy = false,
  onCode,
  onRefused,
}: {
  id: string
  className: string
  text: string
  busy?: boolean
  onCode: (code: string) => void
  onRefused: (note: string) => void
}) {
  function onGetPhoneNumber(event: BaseEventOrig<ButtonProps.onGetPhoneNumberEventDetail>) {
    const { code, errMsg } = event.detail
    if (code) onCode(code)
    else onRefused(/deny|cancel/i.test(errMsg ?? '') ? '你取消了手机号授权' : '未能获取手机号，请稍后重试')
  }
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button className={className} id={id} openType='getPhoneNumber' loading={flag(busy)} disabled={flag(busy)} onGetPhoneNumber={onGetPhoneNumber}>
        {text}（微信授权）
      </Button>
    )
  }
  return (
    <Button className={className} id={id} loading={flag(busy)} disabled={flag(busy)} onClick={() => onCode(h5DevPhoneCode())}>
      {text}（开发环境模拟授权）
    </Button>
  )
}
