import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { ProfileView } from '@domain/contract'
import PhoneAuthButton from '../../../components/phone-auth-button'
import { ErrorNotice } from '../../../components/page-state'
import { memberService } from '../../../services/member'

/** 手机号: WeChat's phone authorisation (getPhoneNumber button → a one-time code the server exchanges). */
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
      <PhoneAuthButton
        id={process.env.TARO_ENV === 'weapp' ? 'bind-phone-button' : 'bind-phone-dev'}
        className='btn btn--ghost profile-phone__button'
        text={label}
        busy={binding}
        onCode={(code) => void bind(code)}
        onRefused={(refused) => setNote(`${refused}，手机号未绑定`)}
      />
    </View>
  )
}
