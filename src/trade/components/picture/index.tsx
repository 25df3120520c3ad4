import { Image, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import './index.scss'

/**
 * A product's picture (kept in cloud storage; the server hands a temporary link): the placeholder
 * shows while it loads, and stays when there is none or it cannot be loaded. Each page sizes the
 * image and the placeholder with its own classes.
 */
export default function Picture({ src, placeholder, imageClass, placeholderClass, id }: { src: string | null; placeholder: string; imageClass: string; placeholderClass: string; id?: string }) {
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading')
  useEffect(() => setState('loading'), [src])
  const showImage = src !== null && state !== 'failed'
  return (
    <View className='picture' id={id} data-state={src === null ? 'none' : state}>
      {state !== 'loaded' || !showImage ? <View className={`picture__placeholder ${placeholderClass}`}>{placeholder}</View> : null}
      {showImage ? (
        <Image className={`${imageClass} ${state === 'loaded' ? '' : 'picture__image--loading'}`} src={src} mode='aspectFill' onLoad={() => setState('loaded')} onError={() => setState('failed')} />
      ) : null}
    </View>
  )
}
