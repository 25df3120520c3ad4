import { Input, View } from '@tarojs/components'
import { Button } from '../../components/button'
import { useState } from 'react'
import type { ActionResult, MemberView } from '@domain/contract'
import ConfirmDialog from '../../components/confirm-dialog'
import { flag } from '../../lib/flag'
import { useIntent } from '../../lib/use-intent'
import { staffService } from '../../services/staff'
import { ErrorNotice } from '../../components/page-state'
import './counter.scss'

type Adjusted = ActionResult<'staff', 'adjustPoints'>
type Direction = 'add' | 'deduct'

/**
 * 积分调整 (store managers; the server checks the role too): a reason is required and logged, at
 * most `maxPoints` either way (the brand's cap, checked again by the server), and the manager
 * confirms the member, the change and the reason before it is posted.
 */
export default function AdjustPanel({
  counterToken,
  member,
  maxPoints,
  onDone,
}: {
  counterToken: string
  member: Pick<MemberView, 'nickname' | 'memberNo' | 'points'>
  /** the brand's cap per adjustment, once known */
  maxPoints: number | null
  onDone: (result: Adjusted) => void
}) {
  const [direction, setDirection] = useState<Direction>('add')
  const [asking, setAsking] = useState(false)
  const [pointsText, setPointsText] = useState('')
  const [reason, setReason] = useState('')
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const intent = useIntent('adjust')

  const magnitude = /^\d{1,7}$/.test(pointsText.trim()) ? Number(pointsText.trim()) : null
  const overCap = magnitude !== null && maxPoints !== null && magnitude > maxPoints
  const pointsError = pointsText.trim() === '' ? null : magnitude === null || magnitude === 0 ? '请输入大于 0 的整数积分' : overCap ? `单次最多调整 ${maxPoints} 积分，更多请分次并写明原因` : null
  const reasonError = reason.length > 0 && reason.trim().length < 2 ? '请填写调整原因（至少 2 个字）' : null
  const ready = magnitude !== null && magnitude > 0 && !overCap && reason.trim().length >= 2

  async function submit() {
    if (!ready || magnitude === null || submitting) return
    const points = direction === 'add' ? magnitude : -magnitude
    const trimmed = reason.trim().slice(0, 100)
    const requestId = intent.idFor(`${counterToken}|${points}|${trimmed}`)
    setAsking(false)
    setSubmitting(true)
    setError(null)
    try {
      const result = await staffService.adjustPoints({ counterToken, points, reason: trimmed, requestId })
      intent.settle()
      setPointsText('')
      setReason('')
      onDone(result)
    } catch (err) {
      setError(err)
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <View className='counter-panel' id='adjust-panel'>
      <View className='choice-group'>
        <View className={`choice ${direction === 'add' ? 'choice--active' : ''}`} id='adjust-direction-add' onClick={() => setDirection('add')}>
          增加积分
        </View>
        <View className={`choice ${direction === 'deduct' ? 'choice--active' : ''}`} id='adjust-direction-deduct' onClick={() => setDirection('deduct')}>
          扣减积分
        </View>
      </View>
      <View className='field'>
        <View className='field__label'>积分数</View>
        <Input className='field-input field__control' id='adjust-points' type='number' maxlength={7} value={pointsText} onInput={(e) => setPointsText(e.detail.value)} />
        {pointsError ? (
          <View className='field__error' id='adjust-points-error'>
            {pointsError}
          </View>
        ) : maxPoints !== null ? (
          <View className='field__hint'>单次最多 {maxPoints} 积分</View>
        ) : null}
      </View>
      <View className='field'>
        <View className='field__label'>调整原因（必填）</View>
        <Input className='field-input field__control' id='adjust-reason' maxlength={100} placeholder='如：系统故障补发积分' value={reason} onInput={(e) => setReason(e.detail.value)} />
        {reasonError ? <View className='field__error'>{reasonError}</View> : <View className='field__hint'>调整记录会写入门店台账</View>}
      </View>
      {error ? <ErrorNotice id='adjust-error' error={error} /> : null}
      <Button
        className={`btn ${ready ? 'btn--primary' : 'btn--disabled'} counter-panel__submit`}
        id='adjust-submit'
        disabled={flag(!ready || submitting)}
        loading={flag(submitting)}
        onClick={() => setAsking(true)}
      >
        {error ? '重试' : direction === 'add' ? '增加积分' : '扣减积分'}
      </Button>
      {asking && magnitude !== null && (
        <ConfirmDialog
          id='adjust-confirm'
          title={direction === 'add' ? '确认增加积分？' : '确认扣减积分？'}
          confirmText={direction === 'add' ? '确认增加' : '确认扣减'}
          danger={direction === 'deduct'}
          onConfirm={() => void submit()}
          onCancel={() => setAsking(false)}
        >
          <View>
            会员 {member.nickname} · {member.memberNo}
          </View>
          <View id='adjust-confirm-change'>
            {direction === 'add' ? '增加' : '扣减'} {magnitude} 积分（当前 {member.points} 积分）
          </View>
          <View>原因：{reason.trim().slice(0, 100)}</View>
        </ConfirmDialog>
      )}
    </View>
  )
}
