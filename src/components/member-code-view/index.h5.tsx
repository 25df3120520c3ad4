import { Image, View } from '@tarojs/components'
import { useEffect, useMemo, useState } from 'react'
import { memberBarcodeImage } from '../member-code/barcode-svg'
import { groupCode, memberCodeImage, secondsLeft } from '../member-code/qr-svg'
import { serverNow } from '../../lib/server-clock'
import type { MemberCodeProps } from './types'
import './index.scss'

/** h5: the same drawing as the native component (qr-svg.js, barcode-svg.js), as a React component. */
export default function MemberCodeView({ code, expiresAt }: MemberCodeProps) {
  const src = useMemo(() => memberCodeImage(code), [code])
  const barSrc = useMemo(() => memberBarcodeImage(code), [code])
  // The interval only re-renders; the time is read at render, so a new code counts from a fresh now.
  const [, setTick] = useState(0)

  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 1000)
    return () => clearInterval(timer)
  }, [])

  const seconds = secondsLeft(expiresAt, serverNow())
  const expired = Boolean(code) && seconds === 0

  return (
    <View className='member-code' id='member-code'>
      <View className='member-code__frame'>
        <Image className={`member-code__qr${expired ? ' member-code__qr--expired' : ''}`} src={src} mode='aspectFit' />
        {expired && <View className='member-code__mask'>已过期</View>}
      </View>
      <View className='member-code__barframe'>
        <Image className={`member-code__bar${expired ? ' member-code__qr--expired' : ''}`} id='member-code-barcode' src={barSrc} mode='scaleToFill' />
      </View>
      <View className='member-code__text' id='member-code-text'>
        {groupCode(code)}
      </View>
      <View className='member-code__countdown' id='member-code-countdown'>
        {expired ? '会员码已过期，请点击刷新' : `动态会员码 · ${seconds} 秒后刷新`}
      </View>
    </View>
  )
}
