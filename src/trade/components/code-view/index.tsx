import { Image, View } from '@tarojs/components'
import { useMemo } from 'react'
import { groupCode, memberCodeImage, secondsLeft } from '../../../components/member-code/qr-svg'
import { formatCountdown } from '../../../lib/format'
import { useNow } from '../../../lib/use-now'
import './index.scss'

/**
 * A short-lived signed code as a QR (the member code's SVG builder), the code in groups of four for
 * typing, and the time until it refreshes. The page owns refreshing (use-signed-code.ts).
 */
export default function CodeView({ id, code, expiresAt, label }: { id: string; code: string; expiresAt: number; label: string }) {
  const src = useMemo(() => memberCodeImage(code), [code])
  const now = useNow(true)
  const seconds = secondsLeft(expiresAt, now)
  const expired = seconds === 0

  return (
    <View className='code-view' id={id}>
      <View className='code-view__frame'>
        <Image className={`code-view__qr${expired ? ' code-view__qr--expired' : ''}`} id={`${id}-qr`} src={src} mode='aspectFit' />
        {expired && <View className='code-view__mask'>已过期</View>}
      </View>
      <View className='code-view__text' id={`${id}-text`}>
        {groupCode(code)}
      </View>
      <View className='code-view__countdown' id={`${id}-countdown`}>
        {expired ? `${label}已过期，正在刷新` : `${label}有效 · ${formatCountdown(seconds * 1000)}`}
      </View>
    </View>
  )
}
