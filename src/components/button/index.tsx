/**
 * The app's Button: Taro's, with its own busy spinner. Taro's H5 button draws its `loading` icon
 * itself, inserting it before the children React owns, which throws `NotFoundError: insertBefore`
 * each time the state toggles; here the spinner is always in place and only shown while busy, so
 * nothing is inserted. The same look on weapp.
 */
import { Button as TaroButton, Text } from '@tarojs/components'
import type { ButtonProps } from '@tarojs/components'
import type { ReactNode } from 'react'
import './index.scss'

export function Button({ loading, className, children, ...rest }: ButtonProps & { children?: ReactNode }) {
  return (
    <TaroButton {...rest} className={`${className ?? ''}${loading ? ' btn--busy' : ''}`}>
      <Text className='btn__spinner' />
      {children}
    </TaroButton>
  )
}
