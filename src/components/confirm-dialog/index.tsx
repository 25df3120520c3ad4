import { View } from '@tarojs/components'
import { Button } from '../button'
import type { ReactNode } from 'react'
import { flag } from '../../lib/flag'
import './index.scss'

export interface ConfirmDialogProps {
  /** element id; the buttons are `<id>-ok` and `<id>-cancel` */
  id: string
  title: string
  children?: ReactNode
  confirmText?: string
  cancelText?: string
  /** red confirm button for actions that take something away (挂失, 退款, 注销) */
  danger?: boolean
  busy?: boolean
  /** the confirm button waits for something the body asks for (a store, an address) */
  confirmDisabled?: boolean
  onConfirm: () => void
  onCancel: () => void
}

/**
 * An in-page confirmation (instead of Taro.showModal): same look on weapp and H5, content can
 * be rich (amounts, a reason field), and tests can find its buttons by id.
 */
export default function ConfirmDialog({ id, title, children, confirmText = '确认', cancelText = '取消', danger, busy = false, confirmDisabled = false, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <View className='confirm-dialog' id={id} catchMove>
      <View className='confirm-dialog__mask' onClick={busy ? undefined : onCancel} />
      <View className='confirm-dialog__panel'>
        <View className='confirm-dialog__title'>{title}</View>
        {children ? <View className='confirm-dialog__body'>{children}</View> : null}
        <View className='confirm-dialog__actions'>
          <Button className='btn btn--ghost confirm-dialog__button' id={`${id}-cancel`} disabled={flag(busy)} onClick={onCancel}>
            {cancelText}
          </Button>
          <Button
            className={`btn ${confirmDisabled ? 'btn--disabled' : danger ? 'btn--danger' : 'btn--primary'} confirm-dialog__button`}
            id={`${id}-ok`}
            loading={flag(busy)}
            disabled={flag(busy || confirmDisabled)}
            onClick={onConfirm}
          >
            {confirmText}
          </Button>
        </View>
      </View>
    </View>
  )
}
