import { Button, Input, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { ActionResult } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { MEMBER_STATUS_TEXT, formatFen, normaliseCode } from '../../../lib/format'
import { staffService } from '../../../services/staff'
import './index.scss'
import { flag } from '../../../lib/flag'

type Verified = ActionResult<'staff', 'verifyMemberCode'>

type View =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown; code: string }
  | { kind: 'result'; result: Verified }

const canScan = process.env.TARO_ENV === 'weapp'
const MIN_CODE_LENGTH = 10

export default function StaffVerifyPage() {
  const [view, setView] = useState<View>({ kind: 'idle' })
  const [input, setInput] = useState('')

  async function verify(raw: string) {
    const code = normaliseCode(raw)
    if (code.length < MIN_CODE_LENGTH) {
      void Taro.showToast({ title: '请输入完整的会员码', icon: 'none' })
      return
    }
    setView({ kind: 'loading' })
    try {
      const result = await staffService.verifyMemberCode(code)
      setView({ kind: 'result', result })
    } catch (error) {
      setView({ kind: 'error', error, code })
    }
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode', 'barCode'] })
      setInput(result)
      void verify(result)
    } catch {
      // cancelled by the clerk: nothing to do
    }
  }

  return (
    <View className='page staff-verify'>
      <View className='section verify-form'>
        {canScan && (
          <Button className='btn btn--primary verify-scan' id='verify-scan-button' onClick={() => void scan()}>
            扫描会员码
          </Button>
        )}
        <View className='verify-form__label'>{canScan ? '或手动输入会员码' : '输入会员码'}</View>
        <Input
          className='field-input verify-form__input'
          id='verify-code-input'
          placeholder='顾客会员卡页面二维码下方的字符'
          value={input}
          maxlength={160}
          confirmType='search'
          onInput={(event) => setInput(event.detail.value)}
          onConfirm={() => void verify(input)}
        />
        <Button
          className={`btn ${canScan ? 'btn--ghost' : 'btn--primary'} verify-submit`}
          id='verify-submit-button'
          disabled={flag(view.kind === 'loading')}
          onClick={() => void verify(input)}
        >
          查询
        </Button>
      </View>

      {view.kind === 'idle' && <EmptyState title='请扫描或输入顾客出示的会员码' hint='会员码每分钟更新一次，请让顾客当场出示' />}
      {view.kind === 'loading' && <LoadingState text='正在查询会员…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void verify(view.code)} />}
      {view.kind === 'result' && <MemberSummary result={view.result} />}
    </View>
  )
}

function MemberSummary({ result }: { result: Verified }) {
  const { member, maskedPhone } = result
  return (
    <View className='section verify-result' id='verify-result'>
      <View className='verify-result__head'>
        <View>
          <View className='verify-result__name' id='verify-nickname'>
            {member.nickname}
          </View>
          <View className='verify-result__no'>会员号 {member.memberNo}</View>
        </View>
        <View className='verify-result__tier' id='verify-tier'>
          {member.tier.name}
        </View>
      </View>
      <View className='verify-result__stats'>
        <View className='verify-result__stat'>
          <View className='verify-result__value' id='verify-points'>
            {member.points}
          </View>
          <View className='verify-result__label'>积分</View>
        </View>
        <View className='verify-result__stat'>
          <View className='verify-result__value' id='verify-balance'>
            {formatFen(member.balance)}
          </View>
          <View className='verify-result__label'>储值</View>
        </View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>手机号</View>
        <View className='list-row__side' id='verify-phone'>
          {maskedPhone ?? '未绑定'}
        </View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>会员状态</View>
        <View className={`list-row__side ${member.status === 'active' ? 'text-success' : 'text-danger'}`} id='verify-status'>
          {MEMBER_STATUS_TEXT[member.status]}
        </View>
      </View>
      {member.channel && (
        <View className='list-row'>
          <View className='list-row__title'>入会渠道</View>
          <View className='list-row__side'>{member.channel.name}</View>
        </View>
      )}
    </View>
  )
}
