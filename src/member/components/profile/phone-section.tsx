import { View } from '@tarojs/components'
import { Button } from '../../../components/button'
import type { ButtonProps } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { BaseEventOrig } from '@tarojs/components/types/common'
import { useState } from 'react'
import type { ProfileView } from '@domain/contract'
import { flag } from '../../../lib/flag'
import { ErrorNotice } from '../../../components/page-state'
import { memberService } from '../../../services/member'

/** The code the emulator's WeChat stand-in accepts for phone authorisation in H5 development. */
const H5_DEV_PHONE_CODE = 'h5-dev-code'

/**
 * 手机号: WeChat's phone authorisation (getPhoneNumber button → a one-time code the server
 * exchanges). H5 has no WeChat: a dev button sends the emulator's fixed code.
 */
export default function PhoneSection({ profile, onSaved }: { profile: ProfileView; onSaved: (profile: ProfileView) => void }) {
  const [binding, setBinding] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [note, setNote] = useState<string | null>(null)

  async function bind(code: string) {
    setBinding(true)
    setError(null)
    setNote(null)
    try {
      const result = await memberService.bindPhone(code)
      onSaved(result.profile)
      void Taro.showToast({ title: '手机号已绑定', icon: 'success' })
    } catch (err) {
      setError(err)
    } finally {
      setBinding(false)
    }
  }

  function onGetPhoneNumber(event: BaseEventOrig<ButtonProps.onGetPhoneNumberEventDetail>) {
    const { code, errMsg } = event.detail
    if (code) void bind(code)
    else setNote(/deny|cancel/i.test(errMsg ?? '') ? '你取消了授权，手机号未绑定' : '未能获取手机号，请稍后重试')
  }

  const label = profile.phoneMasked ? '更换手机号' : '绑定手机号'

  return (
    <View className='section profile-phone'>
      <View className='section__title'>手机号</View>
      <View className='list-row'>
        <View className='list-row__main'>
          <View className='list-row__title' id='profile-phone'>
            {profile.phoneMasked ?? '未绑定'}
          </View>
          <View className='list-row__sub'>用于门店核验身份、挂失和解冻</View>
        </View>
      </View>
      {error ? <ErrorNotice id='phone-error' error={error} /> : null}
      {note && <View className='notice'>{note}</View>}
      {process.env.TARO_ENV === 'weapp' ? (
        <Button className='btn btn--ghost profile-phone__button' id='bind-phone-button' openType='getPhoneNumber' loading={flag(binding)} disabled={flag(binding)} onGetPhoneNumber={onGetPhoneNumber}>
          {label}（微信授权）
        </Button>
      ) : (
        <Button className='btn btn--ghost profile-phone__button' id='bind-phone-dev' loading={flag(binding)} disabled={flag(binding)} onClick={() => void bind(H5_DEV_PHONE_CODE)}>
          {label}（开发环境模拟授权）
        </Button>
      )}
    </View>
  )
}
