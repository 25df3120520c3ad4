import { Input, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { ProfileView } from '@domain/contract'
import { flag } from '../../../lib/flag'
import { payPasswordDigits } from '../../../lib/format'
import { ErrorNotice } from '../../../components/page-state'
import { memberService } from '../../../services/member'

/**
 * 支付密码: set the first one, or change it with the current one. Asked for stored-value payments
 * online above the brand's amount; a forgotten or locked one is reset at a store after the phone check.
 */
export default function PayPasswordSection({ profile, onSaved }: { profile: ProfileView; onSaved: (profile: ProfileView) => void }) {
  const { state, requiredAbove } = profile.payPassword
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const mismatch = again.length === 6 && again !== next
  const ready = next.length === 6 && again === next && (state === 'unset' || current.length === 6) && !saving

  async function save() {
    if (!ready) return
    setSaving(true)
    setError(null)
    try {
      const { profile: saved } = await memberService.setPayPassword(next, state === 'set' ? current : undefined)
      setCurrent('')
      setNext('')
      setAgain('')
      onSaved(saved)
      void Taro.showToast({ title: state === 'set' ? '支付密码已修改' : '支付密码已设置', icon: 'success' })
    } catch (err) {
      setError(err)
    } finally {
      setSaving(false)
    }
  }

  const secret = (id: string, value: string, onChange: (value: string) => void, placeholder: string) => (
    <Input
      className='field-input field__control'
      id={id}
      type='number'
      password
      maxlength={6}
      placeholder={placeholder}
      value={value}
      onInput={(event) => onChange(payPasswordDigits(event.detail.value))}
    />
  )

  return (
    <View className='section profile-pay-password' id='profile-pay-password'>
      <View className='section__title'>支付密码</View>
      <View className='field__hint' id='pay-password-hint'>
        {state === 'unset' ? '尚未设置。' : state === 'locked' ? '已锁定。' : '已设置。'}在线使用储值支付超过 ¥{(requiredAbove / 100).toFixed(0)} 时需要输入；门店消费出示会员码即可，无需密码。
      </View>
      {state === 'locked' ? (
        <View className='notice notice--error' id='pay-password-locked'>
          支付密码错误次数过多，已锁定。请到任一门店，由店员核验手机号后重置，再在这里设置新密码。
        </View>
      ) : (
        <>
          {state === 'set' && (
            <View className='field'>
              <View className='field__label'>当前密码</View>
              {secret('pay-password-current', current, setCurrent, '6 位数字')}
            </View>
          )}
          <View className='field'>
            <View className='field__label'>{state === 'set' ? '新密码' : '设置密码'}</View>
            {secret('pay-password-new', next, setNext, '6 位数字，不要用重复或连续的数字')}
          </View>
          <View className='field'>
            <View className='field__label'>确认密码</View>
            {secret('pay-password-again', again, setAgain, '再输入一次')}
            {mismatch && <View className='field__error'>两次输入的密码不一致</View>}
          </View>
          {error ? <ErrorNotice id='pay-password-error' error={error} /> : null}
          <Button className={`btn ${ready ? 'btn--primary' : 'btn--disabled'}`} id='pay-password-save' loading={flag(saving)} disabled={flag(!ready)} onClick={() => void save()}>
            {state === 'set' ? '修改支付密码' : '设置支付密码'}
          </Button>
        </>
      )}
    </View>
  )
}
