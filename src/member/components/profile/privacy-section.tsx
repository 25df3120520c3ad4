import { Input, Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { ActionResult, ProfileView } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import { flag } from '../../../lib/flag'
import { formatShanghaiTime } from '../../../lib/format'
import { ErrorNotice } from '../../../components/page-state'
import { memberService } from '../../../services/member'

/** The privacy policy version this build of the mini-program shows. */
import { PRIVACY_POLICY_VERSION } from '../../../lib/policies'

type Export = ActionResult<'member', 'exportData'>

/** What a piece of exported data amounts to, for the summary: `3 条` for a list, `5 项` for a record. */
function describeSize(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} 条`
  if (value && typeof value === 'object') return `${Object.keys(value).length} 项`
  if (value === null || value === undefined || value === '') return '无'
  return '1 项'
}

const EXPORT_LABELS: Record<string, string> = {
  member: '会员信息',
  profile: '个人资料',
  addresses: '收货地址',
  ledger: '积分与储值流水',
  entries: '积分与储值流水',
  purchases: '消费记录',
  tierHistory: '等级记录',
  cardEvents: '卡片服务记录',
  consent: '隐私授权',
  coupons: '优惠券',
  orders: '订单',
  tags: '标签',
  deletionRequestedAt: '注销申请',
  topupOrders: '充值订单',
}

/** 隐私授权、导出我的数据、申请注销 (PIPL: the member can see, take and erase their data). */
export default function PrivacySection({ profile, onSaved }: { profile: ProfileView; onSaved: (profile: ProfileView) => void }) {
  const [consenting, setConsenting] = useState(false)
  const [exporting, setExporting] = useState(false)
  const [exported, setExported] = useState<Export | null>(null)
  const [showJson, setShowJson] = useState(false)
  const [askDeletion, setAskDeletion] = useState(false)
  const [reason, setReason] = useState('')
  const [deleting, setDeleting] = useState(false)
  const [deletionRequestedAt, setDeletionRequestedAt] = useState<string | null>(profile.deletionRequestedAt)
  const [error, setError] = useState<unknown>(null)

  const consentCurrent = profile.consent?.version === PRIVACY_POLICY_VERSION

  async function consent() {
    setConsenting(true)
    setError(null)
    try {
      const result = await memberService.recordConsent(PRIVACY_POLICY_VERSION)
      onSaved(result.profile)
    } catch (err) {
      setError(err)
    } finally {
      setConsenting(false)
    }
  }

  async function exportData() {
    setExporting(true)
    setError(null)
    try {
      setExported(await memberService.exportData())
      setShowJson(false)
    } catch (err) {
      setError(err)
    } finally {
      setExporting(false)
    }
  }

  async function requestDeletion() {
    setDeleting(true)
    setError(null)
    try {
      const result = await memberService.requestDeletion(reason.trim().slice(0, 200) || undefined)
      setDeletionRequestedAt(result.deletionRequestedAt)
      onSaved({ ...profile, deletionRequestedAt: result.deletionRequestedAt })
      setAskDeletion(false)
    } catch (err) {
      setError(err)
      setAskDeletion(false)
    } finally {
      setDeleting(false)
    }
  }

  const json = exported ? JSON.stringify(exported.data, null, 2) : ''

  return (
    <View className='section profile-privacy'>
      <View className='section__title'>隐私与数据</View>

      <View className='list-row'>
        <View className='list-row__main'>
          <View className='list-row__title'>《花漾美妆隐私政策》</View>
          <View className='list-row__sub' id='consent-status'>
            {profile.consent ? `已同意 ${profile.consent.version} 版 · ${formatShanghaiTime(profile.consent.at)}` : '尚未同意'}
            {profile.consent && !consentCurrent ? '（政策已更新）' : ''}
          </View>
        </View>
        {!consentCurrent && (
          <Button className='btn btn--ghost btn--small' id='consent-button' loading={flag(consenting)} disabled={flag(consenting)} onClick={() => void consent()}>
            同意 {PRIVACY_POLICY_VERSION} 版
          </Button>
        )}
      </View>

      <View className='list-row'>
        <View className='list-row__main'>
          <View className='list-row__title'>导出我的数据</View>
          <View className='list-row__sub'>查看我们保存的你的全部个人信息</View>
        </View>
        <Button className='btn btn--ghost btn--small' id='export-button' loading={flag(exporting)} disabled={flag(exporting)} onClick={() => void exportData()}>
          导出
        </Button>
      </View>

      {exported && (
        <View className='export-summary' id='export-summary'>
          <View className='export-summary__head'>导出时间 {formatShanghaiTime(exported.exportedAt)}</View>
          {Object.keys(exported.data).length === 0 ? (
            <View className='export-summary__row'>没有数据</View>
          ) : (
            Object.entries(exported.data).map(([key, value]) => (
              <View className='export-summary__row' key={key}>
                <Text>{EXPORT_LABELS[key] ?? key}</Text>
                <Text className='text-muted'>{describeSize(value)}</Text>
              </View>
            ))
          )}
          <View className='btn-row'>
            <Button className='btn btn--ghost btn--small' id='export-toggle-json' onClick={() => setShowJson(!showJson)}>
              {showJson ? '收起 JSON' : '查看 JSON'}
            </Button>
            <Button className='btn btn--ghost btn--small' id='export-copy' onClick={() => void Taro.setClipboardData({ data: json })}>
              复制 JSON
            </Button>
          </View>
          {showJson && (
            <Text className='export-summary__json' id='export-json' userSelect>
              {json}
            </Text>
          )}
        </View>
      )}

      <View className='list-row'>
        <View className='list-row__main'>
          <View className='list-row__title'>申请注销会员</View>
          <View className='list-row__sub' id='deletion-status'>
            {deletionRequestedAt ? `已于 ${formatShanghaiTime(deletionRequestedAt)} 申请注销，我们将在 15 个工作日内处理并通知你` : '注销后积分、储值和等级将无法恢复'}
          </View>
        </View>
        {!deletionRequestedAt && (
          <Button className='btn btn--ghost btn--small text-danger' id='deletion-button' onClick={() => setAskDeletion(true)}>
            申请注销
          </Button>
        )}
      </View>

      {error ? <ErrorNotice id='privacy-error' error={error} /> : null}

      {askDeletion && (
        <ConfirmDialog id='deletion-confirm' title='确认申请注销会员？' confirmText='申请注销' danger busy={deleting} onConfirm={() => void requestDeletion()} onCancel={() => setAskDeletion(false)}>
          <View>注销后你的积分、储值余额、等级和优惠券都将作废且无法恢复。如有储值余额，请先到门店办理退款。</View>
          <Input className='field-input field__control' id='deletion-reason' maxlength={200} placeholder='注销原因（选填）' value={reason} onInput={(event) => setReason(event.detail.value)} />
        </ConfirmDialog>
      )}
    </View>
  )
}
