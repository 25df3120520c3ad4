import { Input, View } from '@tarojs/components'
import { Button } from '../../components/button'
import { useState } from 'react'
import type { ActionResult } from '@domain/contract'
import { flag } from '../../lib/flag'
import { useIntent } from '../../lib/use-intent'
import { staffService } from '../../services/staff'
import { ErrorNotice } from '../../components/page-state'
import './counter.scss'

type Adjusted = ActionResult<'staff', 'adjustPoints'>
type Direction = 'add' | 'deduct'

/** 积分调整 (store managers; the server checks the role too). A reason is required and logged. */
export default function AdjustPanel({ counterToken, onDone }: { counterToken: string; onDone: (result: Adjusted) => void }) {
  const [direction, setDirection] = useState<Direction>('add')
  const [pointsText, setPointsText] = useState('')
  const [reason, setReason] = useState('')
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const intent = useIntent('adjust')

  const magnitude = /^\d{1,7}$/.test(pointsText.trim()) ? Number(pointsText.trim()) : null
  const pointsError = pointsText.trim() === '' ? null : magnitude === null || magnitude === 0 ? '请输入大于 0 的整数积分' : null
  const reasonError = reason.length > 0 && reason.trim().length < 2 ? '请填写调整原因（至少 2 个字）' : null
  const ready = magnitude !== null && magnitude > 0 && reason.trim().length >= 2

  async function submit() {
    if (!ready || magnitude === null || submitting) return
    const points = direction === 'add' ? magnitude : -magnitude
    const trimmed = reason.trim().slice(0, 100)
    const requestId = intent.idFor(`${counterToken}|${points}|${trimmed}`)
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
        {pointsError && <View className='field__error'>{pointsError}</View>}
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
        onClick={() => void submit()}
      >
        {error ? '重试' : direction === 'add' ? '确认增加' : '确认扣减'}
      </Button>
    </View>
  )
}
