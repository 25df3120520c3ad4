import { Button, Input, View } from '@tarojs/components'
import { useState } from 'react'
import type { ActionResult } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import { flag } from '../../../lib/flag'
import { CARD_SERVICE_TEXT, MEMBER_STATUS_TEXT, isMainlandPhone } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { staffService } from '../../../services/staff'
import { ErrorNotice } from '../../../components/page-state'
import './index.scss'

type Action = keyof typeof CARD_SERVICE_TEXT
type Done = ActionResult<'staff', 'cardService'>

const ACTIONS: Action[] = ['reportLoss', 'cancelLoss', 'freeze', 'unfreeze', 'resetPayPassword']

const ACTION_HINT: Record<Action, string> = {
  reportLoss: '顾客手机丢失时代为挂失：会员码立即停用',
  cancelLoss: '顾客找回后解除挂失，会员码恢复',
  freeze: '发现异常使用时冻结：暂停积分、消费和储值',
  unfreeze: '核实本人后解冻，恢复正常使用',
  resetPayPassword: '顾客忘记或输错锁定支付密码时重置，之后在小程序内设置新密码',
}

/**
 * 卡片服务 at the counter: the member tells their member number and bound phone number; the
 * server checks that they match before 挂失 / 解挂 / 冻结 / 解冻 / 重置支付密码.
 */
export default function StaffCardServicePage() {
  const [memberNo, setMemberNo] = useState('')
  const [phone, setPhone] = useState('')
  const [action, setAction] = useState<Action>('reportLoss')
  const [asking, setAsking] = useState(false)
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<(Done & { action: Action }) | null>(null)
  const [touched, setTouched] = useState(false)
  const intent = useIntent('cardsvc')

  const no = memberNo.trim()
  const tel = phone.trim()
  const memberNoError = /^\d{6,16}$/.test(no) ? null : '会员号为 6–16 位数字'
  const phoneError = isMainlandPhone(tel) ? null : '请输入顾客报出的 11 位绑定手机号'
  const ready = !memberNoError && !phoneError

  async function submit() {
    if (!ready || submitting) return
    const requestId = intent.idFor(`${no}|${tel}|${action}`)
    setSubmitting(true)
    setError(null)
    try {
      const result = await staffService.cardService({ memberNo: no, phone: tel, action, requestId })
      intent.settle()
      setDone({ ...result, action })
      setAsking(false)
    } catch (err) {
      setError(err)
      setAsking(false)
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <View className='page staff-card-service'>
      <View className='section csv-form'>
        <View className='section__title'>核验会员身份</View>
        <View className='field'>
          <View className='field__label'>会员号</View>
          <Input className='field-input field__control' id='cs-member-no' type='number' maxlength={16} placeholder='顾客报出的会员号' value={memberNo} onInput={(e) => setMemberNo(e.detail.value)} />
          {touched && memberNoError && <View className='field__error'>{memberNoError}</View>}
        </View>
        <View className='field'>
          <View className='field__label'>绑定手机号</View>
          <Input className='field-input field__control' id='cs-phone' type='number' maxlength={11} placeholder='顾客报出的手机号（用于核验）' value={phone} onInput={(e) => setPhone(e.detail.value)} />
          {touched && phoneError && <View className='field__error'>{phoneError}</View>}
        </View>
        <View className='field'>
          <View className='field__label'>办理业务</View>
          <View className='choice-group'>
            {ACTIONS.map((value) => (
              <View key={value} className={`choice ${action === value ? 'choice--active' : ''}`} id={`cs-action-${value}`} onClick={() => setAction(value)}>
                {CARD_SERVICE_TEXT[value]}
              </View>
            ))}
          </View>
          <View className='field__hint'>{ACTION_HINT[action]}</View>
        </View>
        {error ? <ErrorNotice id='cs-error' error={error} /> : null}
        <Button
          className={`btn ${ready ? 'btn--primary' : 'btn--disabled'} csv-submit`}
          id='cs-submit'
          disabled={flag(submitting)}
          onClick={() => {
            setTouched(true)
            if (ready) setAsking(true)
          }}
        >
          办理{CARD_SERVICE_TEXT[action]}
        </Button>
      </View>

      {done && (
        <View className='section' id='cs-result'>
          <View className='section__title'>办理成功</View>
          <View className='list-row'>
            <View className='list-row__title'>会员号</View>
            <View className='list-row__side'>{done.memberNo}</View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>业务</View>
            <View className='list-row__side'>{CARD_SERVICE_TEXT[done.action]}</View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>当前状态</View>
            <View className={`list-row__side ${done.status === 'active' ? 'text-success' : 'text-danger'}`} id='cs-result-status'>
              {MEMBER_STATUS_TEXT[done.status]}
            </View>
          </View>
        </View>
      )}

      {asking && (
        <ConfirmDialog
          id='cs-confirm'
          title={`确认为会员 ${no} 办理${CARD_SERVICE_TEXT[action]}？`}
          confirmText={`确认${CARD_SERVICE_TEXT[action]}`}
          danger={action === 'reportLoss' || action === 'freeze'}
          busy={submitting}
          onConfirm={() => void submit()}
          onCancel={() => setAsking(false)}
        >
          请确认顾客本人在场，并已核对其报出的手机号 {tel.slice(0, 3)}****{tel.slice(-4)}。
        </ConfirmDialog>
      )}
    </View>
  )
}
