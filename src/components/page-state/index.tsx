import { Button, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { canRetry, describeError, errorDetail } from '../../services/errors'
import './index.scss'

/** The three states every page has besides its content: loading, empty and error. */

export function LoadingState({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='page-state page-state--loading' id='page-loading'>
      <View className='page-state__spinner' />
      <View className='page-state__text'>{text}</View>
    </View>
  )
}

export function EmptyState({ title, hint, children }: { title: string; hint?: string; children?: ReactNode }) {
  return (
    <View className='page-state page-state--empty' id='page-empty'>
      <View className='page-state__title'>{title}</View>
      {hint && <View className='page-state__text'>{hint}</View>}
      {children && <View className='page-state__actions'>{children}</View>}
    </View>
  )
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <View className='page-state page-state--error' id='page-error'>
      <View className='page-state__title'>{describeError(error)}</View>
      {errorDetail(error) ? <View className='page-state__detail'>{errorDetail(error)}</View> : null}
      {canRetry(error) && (
        <View className='page-state__actions'>
          <Button className='btn btn--primary page-state__retry' id='retry-button' onClick={onRetry}>
            重试
          </Button>
        </View>
      )}
    </View>
  )
}

/**
 * An action's failure, inline: the app's copy for its reason (services/reason-copy), and under it
 * only the reference of an unexpected failure. Never a code or a server or transport message.
 */
export function ErrorNotice({ error, id, prefix }: { error: unknown; id?: string; prefix?: string }) {
  const shown = describeError(error)
  const detail = errorDetail(error)
  return (
    <View className='notice notice--error' id={id}>
      {prefix ? `${prefix}${shown}` : shown}
      {detail ? <View className='page-state__detail'>{detail}</View> : null}
    </View>
  )
}
