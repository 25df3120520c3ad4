import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ReactNode } from 'react'
import './index.scss'

const isWeapp = process.env.TARO_ENV === 'weapp'

/** The link a friend opens in the H5 build (hash router). */
export function h5Link(path: string): string {
  if (typeof window === 'undefined') return path
  return `${window.location.origin}${window.location.pathname}#${path}`
}

/**
 * 分享给好友. weapp: a share button (`openType='share'`); the page's useShareAppMessage answers
 * with `path`. H5 (no WeChat): the link to copy. `children` previews what the friend will see.
 */
export default function SharePanel({ id, title, path, children, onClose }: { id: string; title: string; path: string; children?: ReactNode; onClose: () => void }) {
  const link = h5Link(path)
  return (
    <View className='share-panel' id={id} catchMove>
      <View className='share-panel__mask' onClick={onClose} />
      <View className='share-panel__sheet'>
        <View className='share-panel__title'>{title}</View>
        {children ? <View className='share-panel__preview'>{children}</View> : null}
        {isWeapp ? (
          <Button className='btn btn--primary share-panel__button' id={`${id}-send`} openType='share'>
            发送给微信好友
          </Button>
        ) : (
          <>
            <View className='share-panel__label'>复制链接发给好友</View>
            <View className='share-panel__link' id={`${id}-link`}>
              {link}
            </View>
            <Button className='btn btn--primary share-panel__button' id={`${id}-copy`} onClick={() => void Taro.setClipboardData({ data: link }).catch(() => undefined)}>
              复制链接
            </Button>
          </>
        )}
        <Button className='btn btn--ghost share-panel__button' id={`${id}-close`} onClick={onClose}>
          关闭
        </Button>
      </View>
    </View>
  )
}
