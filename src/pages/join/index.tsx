import { Input, Text, View } from '@tarojs/components'
import { Button } from '../../components/button'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { MemberView } from '@domain/contract'
import { ErrorState, LoadingState } from '../../components/page-state'
import PhoneAuthButton from '../../components/phone-auth-button'
import { useOpenedScene } from '../../lib/use-opened-scene'
import { routeUrl } from '../../routes'
import { PRIVACY_POLICY_VERSION } from '../../lib/policies'
import { describeError, hasReason } from '../../services/errors'
import { memberService } from '../../services/member'
import './index.scss'
import { flag } from '../../lib/flag'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'form'; submitting: boolean; submitError: unknown } | { kind: 'already'; member: MemberView }

export default function JoinPage() {
  /** the share or channel that brought the visitor: 「…」邀请你 / 由 … 推荐 */
  const { scene, opened } = useOpenedScene()
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [nickname, setNickname] = useState('')
  /** the code of WeChat's phone authorisation, exchanged for the number once the member exists */
  const [phoneCode, setPhoneCode] = useState<string | null>(null)
  const [phoneNote, setPhoneNote] = useState<string | null>(null)

  /** A returning member does not need the form: show their membership instead. */
  async function load() {
    setView({ kind: 'loading' })
    try {
      const { member } = await memberService.profile()
      setView({ kind: 'already', member })
    } catch (error) {
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'form', submitting: false, submitError: null } : { kind: 'error', error })
    }
  }

  async function join() {
    if (view.kind !== 'form' || view.submitting) return
    setView({ kind: 'form', submitting: true, submitError: null })
    try {
      const name = nickname.trim()
      const { created } = await memberService.join({
        ...(scene ? { scene } : {}),
        ...(name ? { nickname: name.slice(0, 32) } : {}),
        // 入会即表示同意: the version this page shows is the one agreed to
        consentVersion: PRIVACY_POLICY_VERSION,
      })
      let phoneBound = true
      if (phoneCode) {
        try {
          await memberService.bindPhone(phoneCode)
        } catch {
          phoneBound = false
        }
      }
      if (!phoneBound) void Taro.showToast({ title: '入会成功，手机号未绑定，可在个人资料中绑定', icon: 'none' })
      else void Taro.showToast({ title: created ? '入会成功' : '你已经是会员啦', icon: 'success' })
      await Taro.switchTab({ url: routeUrl('card') })
    } catch (error) {
      setView({ kind: 'form', submitting: false, submitError: error })
    }
  }

  useDidShow(() => {
    if (view.kind === 'loading' || view.kind === 'error') void load()
  })

  return (
    <View className='page page--white join-page'>
      <View className='join-hero'>
        <View className='join-hero__brand'>花漾美妆</View>
        <View className='join-hero__title'>连接即会员</View>
        <View className='join-hero__text'>免费入会，无需消费，立享会员权益</View>
        {opened && (
          <View className='join-hero__channel' id='join-channel'>
            {opened.kind === 'share' ? `${opened.from} 邀请你加入` : `由 ${opened.from} 推荐`}
          </View>
        )}
      </View>

      {view.kind === 'loading' && <LoadingState />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load()} />}

      {view.kind === 'already' && (
        <View className='join-body' id='join-already'>
          <View className='join-body__title'>你已经是花漾美妆会员</View>
          <View className='join-body__text'>
            {view.member.nickname} · {view.member.tier.name} · 会员号 {view.member.memberNo}
          </View>
          <Button className='btn btn--primary' id='join-view-card' onClick={() => void Taro.switchTab({ url: routeUrl('card') })}>
            查看会员卡
          </Button>
        </View>
      )}

      {view.kind === 'form' && (
        <View className='join-body'>
          <View className='join-perks'>
            <View className='join-perk'>
              <View className='join-perk__title'>电子会员卡</View>
              <View className='join-perk__text'>到店出示动态会员码，积分储值一码搞定</View>
            </View>
            <View className='join-perk'>
              <View className='join-perk__title'>签到领积分</View>
              <View className='join-perk__text'>每天签到攒积分，积分可抵扣、可兑换</View>
            </View>
            <View className='join-perk'>
              <View className='join-perk__title'>等级礼遇</View>
              <View className='join-perk__text'>银卡、金卡、钻石会员，成长越多礼遇越多</View>
            </View>
          </View>

          <View className='join-field'>
            <View className='join-field__label'>昵称（选填）</View>
            <Input className='field-input join-field__input' id='join-nickname' maxlength={32} placeholder='怎么称呼你' value={nickname} onInput={(event) => setNickname(event.detail.value)} />
          </View>

          <View className='join-field' id='join-phone'>
            <View className='join-field__label'>手机号（推荐）</View>
            {phoneCode ? (
              <View className='notice' id='join-phone-granted'>
                已授权，入会后绑定。手机丢失时可凭此号在门店挂失、解挂。
              </View>
            ) : (
              <>
                <PhoneAuthButton
                  id='join-phone-button'
                  className='btn btn--ghost join-phone__button'
                  text='授权手机号'
                  onCode={(code) => {
                    setPhoneCode(code)
                    setPhoneNote(null)
                  }}
                  onRefused={(note) => setPhoneNote(`${note}，也可以入会后在个人资料中绑定`)}
                />
                <View className='join-field__hint'>{phoneNote ?? '用于门店核验身份、挂失和解挂；不授权也可以入会'}</View>
              </>
            )}
          </View>

          {view.submitError ? (
            <View className='notice notice--error' id='join-error'>
              {describeError(view.submitError)}
            </View>
          ) : null}

          <Button className='btn btn--primary join-button' id='join-button' loading={flag(view.submitting)} disabled={flag(view.submitting)} onClick={() => void join()}>
            立即入会
          </Button>
          <View className='join-body__fineprint'>
            入会即表示同意
            <Text className='join-body__link' id='join-charter-link' onClick={() => void Taro.navigateTo({ url: routeUrl('policy', { doc: 'charter' }) })}>
              《花漾美妆会员章程》
            </Text>
            与
            <Text className='join-body__link' id='join-privacy-link' onClick={() => void Taro.navigateTo({ url: routeUrl('policy', { doc: 'privacy' }) })}>
              《隐私政策》
            </Text>
          </View>
        </View>
      )}
    </View>
  )
}
