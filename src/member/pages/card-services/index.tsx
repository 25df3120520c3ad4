import { Button, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { MemberStatus, MemberView } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import PhoneAuthButton from '../../../components/phone-auth-button'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { MEMBER_STATUS_TEXT } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { routeUrl } from '../../../routes'
import { hasReason } from '../../../services/errors'
import { memberService } from '../../../services/member'
import './index.scss'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; member: MemberView; phoneMasked: string | null }

type Action = 'reportLoss' | 'cancelLoss'

const STATUS_NOTE: Record<MemberStatus, string> = {
  active: '会员卡状态正常，可以出示会员码积分、储值消费。',
  lost: '会员卡已挂失：会员码已停用，任何人都无法用它积分或消费储值。找回手机或确认安全后，可以解除挂失。',
  frozen: '会员卡已被门店冻结：暂停积分、储值消费和会员码。请携带本人手机到门店办理解冻。',
}

export default function CardServicesPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [asking, setAsking] = useState<Action | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [actionError, setActionError] = useState<unknown>(null)
  const [note, setNote] = useState<string | null>(null)
  const latestLoad = useRef(0)
  const intent = useIntent('card')

  async function load(showSpinner: boolean) {
    const call = ++latestLoad.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const { member, profile } = await memberService.profile()
      if (call === latestLoad.current) setView({ kind: 'ready', member, phoneMasked: profile.phoneMasked })
    } catch (error) {
      if (call !== latestLoad.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => {
    void load(view.kind !== 'ready')
  })

  /** One requestId per confirmed action; 确认 again after a failure reuses it. 解除挂失 carries the phone authorisation's code. */
  async function run(action: Action, phoneCode?: string) {
    if (submitting) return
    const requestId = intent.idFor(action)
    setSubmitting(true)
    setActionError(null)
    setNote(null)
    try {
      const { status } = action === 'reportLoss' ? await memberService.reportLoss(requestId) : await memberService.cancelLoss(phoneCode ?? '', requestId)
      intent.settle()
      setView((current) => (current.kind === 'ready' ? { ...current, member: { ...current.member, status } } : current))
      setAsking(null)
      void Taro.showToast({ title: action === 'reportLoss' ? '已挂失' : '已解除挂失', icon: 'success' })
    } catch (error) {
      setActionError(error)
      setAsking(null)
    } finally {
      setSubmitting(false)
    }
  }

  if (view.kind === 'loading') {
    return (
      <View className='page cs-page'>
        <LoadingState />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page cs-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'not-member') {
    return (
      <View className='page cs-page'>
        <EmptyState title='成为会员后即可使用卡片服务' hint='连接即会员，免费加入'>
          <Button className='btn btn--primary' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
            免费成为会员
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { member } = view
  const status = member.status

  return (
    <View className='page cs-page'>
      <View className='section cs-card'>
        <View className='section__title'>
          我的会员卡
          <View className={`cs-status cs-status--${status}`} id='cs-status'>
            {MEMBER_STATUS_TEXT[status]}
          </View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>会员号</View>
          <View className='list-row__side'>{member.memberNo}</View>
        </View>
        <View className='list-row'>
          <View className='list-row__title'>卡类型</View>
          <View className='list-row__side'>{member.cardType.name}</View>
        </View>
        <View className='notice cs-note' id='cs-note'>
          {STATUS_NOTE[status]}
        </View>

        {actionError ? <ErrorNotice id='cs-error' error={actionError} /> : null}

        {status === 'active' && (
          <Button className='btn btn--danger cs-action' id='report-loss-button' onClick={() => setAsking('reportLoss')}>
            挂失会员卡
          </Button>
        )}
        {note && (
          <View className='notice' id='cs-phone-note'>
            {note}
          </View>
        )}
        {status === 'lost' && view.phoneMasked && (
          <>
            <PhoneAuthButton
              id='cancel-loss-button'
              className='btn btn--primary cs-action'
              text='验证手机号并解除挂失'
              busy={submitting}
              onCode={(code) => void run('cancelLoss', code)}
              onRefused={setNote}
            />
            <View className='cs-hint' id='cs-phone-hint'>
              将通过微信授权核对你登记的手机号 {view.phoneMasked}，一致即可解除；不一致请到门店办理。
            </View>
          </>
        )}
        {status === 'lost' && !view.phoneMasked && (
          <View className='notice' id='cs-no-phone'>
            你还没有绑定手机号，无法在小程序内解除挂失。请到任一门店，由店员核验身份后办理。
          </View>
        )}
        {status === 'frozen' && (
          <Button className='btn btn--disabled cs-action' id='frozen-notice-button' disabled={flag(true)}>
            请到门店办理解冻
          </Button>
        )}
      </View>

      <View className='section'>
        <View className='section__title'>服务说明</View>
        <View className='cs-help'>
          <View className='cs-help__item'>
            <View className='cs-help__title'>挂失</View>
            <View className='cs-help__text'>手机丢失或怀疑会员码被他人使用时，立即挂失。挂失后会员码停用，积分和储值冻结保护。</View>
          </View>
          <View className='cs-help__item'>
            <View className='cs-help__title'>解除挂失</View>
            <View className='cs-help__text'>确认安全后，通过微信授权核对你登记的手机号即可在这里自行解除；也可以到任一门店由店员核验手机号后办理。</View>
          </View>
          <View className='cs-help__item'>
            <View className='cs-help__title'>冻结 / 解冻</View>
            <View className='cs-help__text'>冻结和解冻由门店办理：店员核验你报出的会员号和绑定手机号后操作，小程序内不能自行解冻。</View>
          </View>
        </View>
      </View>

      {asking === 'reportLoss' && (
        <ConfirmDialog id='loss-confirm' title='确认挂失会员卡？' confirmText='确认挂失' danger busy={submitting} onConfirm={() => void run('reportLoss')} onCancel={() => setAsking(null)}>
          挂失后会员码立即停用，门店无法再用它为你积分或扣储值。之后可随时解除挂失。
        </ConfirmDialog>
      )}
    </View>
  )
}
