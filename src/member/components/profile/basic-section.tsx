import { Input, Picker, Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { ActionInput, ProfileView } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import { flag } from '../../../lib/flag'
import { GENDER_TEXT, shanghaiDay } from '../../../lib/format'
import { ErrorNotice } from '../../../components/page-state'
import { memberService } from '../../../services/member'

type Gender = ProfileView['gender']
const GENDERS: Gender[] = ['female', 'male', 'unknown']

/** 昵称 (what the card shows)、姓名、性别、生日. The birthday can be set once (birthday gifts); after that only a store can change it. */
export default function BasicSection({ profile, onSaved }: { profile: ProfileView; onSaved: (profile: ProfileView) => void }) {
  const [nickname, setNickname] = useState(profile.nickname)
  const [name, setName] = useState(profile.name ?? '')
  const [gender, setGender] = useState<Gender>(profile.gender)
  const [birthday, setBirthday] = useState<string>(profile.birthday ?? '')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [confirmBirthday, setConfirmBirthday] = useState(false)

  const birthdayEditable = !profile.birthdayLocked && !profile.birthday
  const trimmed = name.trim()
  const nick = nickname.trim()
  const changes: ActionInput<'member', 'updateProfile'> = {}
  if (nick && nick !== profile.nickname) changes.nickname = nick.slice(0, 32)
  if (trimmed && trimmed !== (profile.name ?? '')) changes.name = trimmed.slice(0, 32)
  if (gender !== profile.gender) changes.gender = gender
  if (birthdayEditable && birthday) changes.birthday = birthday
  const dirty = Object.keys(changes).length > 0
  const nameError = name.length > 0 && !trimmed ? '姓名不能为空白' : null
  const nicknameError = !nick ? '昵称不能为空' : null

  async function save() {
    if (!dirty || saving || nameError || nicknameError) return
    setSaving(true)
    setError(null)
    try {
      const result = await memberService.updateProfile(changes)
      onSaved(result.profile)
      setConfirmBirthday(false)
      void Taro.showToast({ title: '已保存', icon: 'success' })
    } catch (err) {
      setError(err)
      setConfirmBirthday(false)
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className='section profile-basic' id='profile-basic'>
      <View className='section__title'>基本资料</View>

      <View className='field'>
        <View className='field__label'>昵称</View>
        <Input
          className='field-input field__control'
          id='profile-nickname-input'
          maxlength={32}
          placeholder='会员卡上显示的称呼'
          value={nickname}
          onInput={(event) => setNickname(event.detail.value)}
        />
        {nicknameError ? <View className='field__error'>{nicknameError}</View> : <View className='field__hint'>会员卡和门店看到的称呼</View>}
      </View>

      <View className='field'>
        <View className='field__label'>姓名</View>
        <Input className='field-input field__control' id='profile-name' maxlength={32} placeholder='你的称呼或真实姓名' value={name} onInput={(event) => setName(event.detail.value)} />
        {nameError && <View className='field__error'>{nameError}</View>}
      </View>

      <View className='field'>
        <View className='field__label'>性别</View>
        <View className='choice-group'>
          {GENDERS.map((value) => (
            <View key={value} className={`choice ${gender === value ? 'choice--active' : ''}`} id={`gender-${value}`} onClick={() => setGender(value)}>
              {GENDER_TEXT[value]}
            </View>
          ))}
        </View>
      </View>

      <View className='field'>
        <View className='field__label'>生日</View>
        {birthdayEditable ? (
          <>
            <Picker mode='date' value={birthday || '1995-01-01'} start='1900-01-01' end={shanghaiDay()} onChange={(event) => setBirthday(String(event.detail.value))}>
              <View className='field-input field__control profile-picker' id='birthday-picker'>
                {birthday ? <Text>{birthday}</Text> : <Text className='text-muted'>选择生日（设置后不可修改）</Text>}
              </View>
            </Picker>
            <View className='field__hint'>生日只能设置一次，用于生日礼遇，请仔细核对</View>
          </>
        ) : (
          <>
            <View className='field-input field__control profile-picker' id='profile-birthday'>
              {profile.birthday ?? '未设置'}
            </View>
            <View className='notice profile-locked' id='birthday-locked'>
              生日已设置，不能在小程序内修改；如需更正，请携带证件到门店办理。
            </View>
          </>
        )}
      </View>

      {error ? <ErrorNotice id='profile-error' error={error} /> : null}

      <Button
        className={`btn ${dirty && !nameError && !nicknameError ? 'btn--primary' : 'btn--disabled'} profile-save`}
        id='profile-save'
        disabled={flag(!dirty || saving || Boolean(nameError || nicknameError))}
        loading={flag(saving && !confirmBirthday)}
        onClick={() => (changes.birthday ? setConfirmBirthday(true) : void save())}
      >
        保存资料
      </Button>

      {confirmBirthday && (
        <ConfirmDialog id='birthday-confirm' title={`生日设为 ${birthday}？`} confirmText='确认保存' busy={saving} onConfirm={() => void save()} onCancel={() => setConfirmBirthday(false)}>
          生日设置后不能自行修改，请确认无误。
        </ConfirmDialog>
      )}
    </View>
  )
}
