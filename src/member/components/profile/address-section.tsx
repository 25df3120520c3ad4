import { Input, Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { AddressView } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import { EmptyState, ErrorNotice } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { isMainlandPhone } from '../../../lib/format'
import { memberService } from '../../../services/member'

interface Draft {
  id?: string
  name: string
  phone: string
  region: string
  detail: string
  isDefault: boolean
}

const EMPTY: Draft = { name: '', phone: '', region: '', detail: '', isDefault: false }

/** The contract's limits, checked before sending so the member sees what to fix. */
function problems(draft: Draft): Partial<Record<keyof Draft, string>> {
  const found: Partial<Record<keyof Draft, string>> = {}
  if (!draft.name.trim()) found.name = '请填写收货人'
  else if (draft.name.trim().length > 20) found.name = '收货人最多 20 个字'
  if (!isMainlandPhone(draft.phone.trim())) found.phone = '请填写 11 位手机号'
  if (draft.region.trim().length < 2) found.region = '请填写省市区'
  if (draft.detail.trim().length < 2) found.detail = '请填写详细地址'
  return found
}

/** 收货地址: list, add, edit, remove, set default. Every change answers with the whole list. */
export default function AddressSection({ addresses, onChanged }: { addresses: AddressView[]; onChanged: (addresses: AddressView[]) => void }) {
  const [draft, setDraft] = useState<Draft | null>(null)
  const [showProblems, setShowProblems] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [removing, setRemoving] = useState<AddressView | null>(null)

  async function save(next: Draft) {
    const found = problems(next)
    if (Object.keys(found).length) {
      setShowProblems(true)
      return
    }
    setBusy(next.id ?? 'new')
    setError(null)
    try {
      const { addresses: list } = await memberService.saveAddress({
        ...(next.id ? { id: next.id } : {}),
        name: next.name.trim(),
        phone: next.phone.trim(),
        region: next.region.trim(),
        detail: next.detail.trim(),
        isDefault: next.isDefault,
      })
      onChanged(list)
      setDraft(null)
      setShowProblems(false)
      void Taro.showToast({ title: '地址已保存', icon: 'success' })
    } catch (err) {
      setError(err)
    } finally {
      setBusy(null)
    }
  }

  async function remove(address: AddressView) {
    setBusy(address.id)
    setError(null)
    try {
      const { addresses: list } = await memberService.removeAddress(address.id)
      onChanged(list)
      setRemoving(null)
    } catch (err) {
      setError(err)
      setRemoving(null)
    } finally {
      setBusy(null)
    }
  }

  const found = draft && showProblems ? problems(draft) : {}
  const edit = (patch: Partial<Draft>) => setDraft((current) => (current ? { ...current, ...patch } : current))

  return (
    <View className='section profile-addresses'>
      <View className='section__title'>
        收货地址
        <Text className='section__hint'>{addresses.length} 个</Text>
      </View>

      {addresses.length === 0 && !draft && <EmptyState title='还没有收货地址' hint='积分商城兑换的礼品会寄到这里' />}

      {addresses.length > 0 && (
        <View id='address-list'>
          {addresses.map((address) => (
            <View className='address-item' key={address.id} id={`address-${address.id}`}>
              <View className='address-item__who'>
                {address.name} <Text className='text-muted'>{address.phone}</Text>
                {address.isDefault && <Text className='badge address-item__default'>默认</Text>}
              </View>
              <View className='address-item__where'>
                {address.region} {address.detail}
              </View>
              <View className='address-item__actions'>
                {!address.isDefault && (
                  <Button
                    className='btn btn--ghost btn--small address-item__action'
                    id={`address-default-${address.id}`}
                    disabled={flag(busy !== null)}
                    loading={flag(busy === address.id)}
                    onClick={() => void save({ ...address, isDefault: true })}
                  >
                    设为默认
                  </Button>
                )}
                <Button
                  className='btn btn--ghost btn--small address-item__action'
                  id={`address-edit-${address.id}`}
                  disabled={flag(busy !== null)}
                  onClick={() => {
                    setShowProblems(false)
                    setDraft({ ...address })
                  }}
                >
                  编辑
                </Button>
                <Button className='btn btn--ghost btn--small address-item__action' id={`address-remove-${address.id}`} disabled={flag(busy !== null)} onClick={() => setRemoving(address)}>
                  删除
                </Button>
              </View>
            </View>
          ))}
        </View>
      )}

      {error ? <ErrorNotice id='address-error' error={error} /> : null}

      {draft ? (
        <View className='address-form' id='address-form'>
          <View className='address-form__title'>{draft.id ? '编辑地址' : '新增地址'}</View>
          <View className='field'>
            <View className='field__label'>收货人</View>
            <Input className='field-input field__control' id='address-name' maxlength={20} value={draft.name} onInput={(e) => edit({ name: e.detail.value })} />
            {found.name && <View className='field__error'>{found.name}</View>}
          </View>
          <View className='field'>
            <View className='field__label'>手机号</View>
            <Input className='field-input field__control' id='address-phone' type='number' maxlength={11} value={draft.phone} onInput={(e) => edit({ phone: e.detail.value })} />
            {found.phone && <View className='field__error'>{found.phone}</View>}
          </View>
          <View className='field'>
            <View className='field__label'>省市区</View>
            <Input className='field-input field__control' id='address-region' maxlength={60} placeholder='如：上海市 静安区' value={draft.region} onInput={(e) => edit({ region: e.detail.value })} />
            {found.region && <View className='field__error'>{found.region}</View>}
          </View>
          <View className='field'>
            <View className='field__label'>详细地址</View>
            <Input className='field-input field__control' id='address-detail' maxlength={120} placeholder='街道、门牌号' value={draft.detail} onInput={(e) => edit({ detail: e.detail.value })} />
            {found.detail && <View className='field__error'>{found.detail}</View>}
          </View>
          <View className='choice-group address-form__default'>
            <View className={`choice ${draft.isDefault ? 'choice--active' : ''}`} id='address-is-default' onClick={() => edit({ isDefault: !draft.isDefault })}>
              {draft.isDefault ? '✓ 设为默认地址' : '设为默认地址'}
            </View>
          </View>
          <View className='btn-row'>
            <Button className='btn btn--ghost' id='address-cancel' disabled={flag(busy !== null)} onClick={() => setDraft(null)}>
              取消
            </Button>
            <Button className='btn btn--primary' id='address-save' loading={flag(busy !== null)} disabled={flag(busy !== null)} onClick={() => void save(draft)}>
              保存地址
            </Button>
          </View>
        </View>
      ) : (
        <Button
          className='btn btn--ghost address-add'
          id='address-add'
          onClick={() => {
            setShowProblems(false)
            setDraft({ ...EMPTY, isDefault: addresses.length === 0 })
          }}
        >
          新增收货地址
        </Button>
      )}

      {removing && (
        <ConfirmDialog
          id='address-remove-confirm'
          title='删除这个地址？'
          confirmText='删除'
          danger
          busy={busy === removing.id}
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          {removing.name} {removing.region} {removing.detail}
        </ConfirmDialog>
      )}
    </View>
  )
}
