import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { MemberView, ProductView } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { formatPointsPrice } from '../../../lib/format'
import { routeUrl } from '../../../routes'
import { mallService } from '../../../services/mall'
import { memberService } from '../../../services/member'
import Picture from '../../components/picture'
import './index.scss'

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  /** member is null for a visitor: they may look, and join to exchange */
  | { kind: 'ready'; products: ProductView[]; categories: string[]; member: MemberView | null }

async function memberOrNull(): Promise<MemberView | null> {
  return (await memberService.profileOrNull())?.member ?? null
}

/** 积分商城: the shelf the member's tier sees, pinned first, by category. */
export default function MallPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  /** null = 全部 */
  const [category, setCategory] = useState<string | null>(null)
  const latest = useRef(0)

  async function load(which: string | null, showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const [{ products, categories }, member] = await Promise.all([mallService.products(which ?? undefined), memberOrNull()])
      if (call === latest.current) setView({ kind: 'ready', products, categories, member })
    } catch (error) {
      if (call === latest.current) setView({ kind: 'error', error })
    }
  }

  useDidShow(() => void load(category, view.kind !== 'ready'))

  function pick(next: string | null) {
    if (next === category) return
    setCategory(next)
    void load(next, true)
  }

  const open = (product: ProductView) => void Taro.navigateTo({ url: routeUrl('product', { productId: product.productId }) })

  return (
    <View className='page mall-page'>
      {view.kind === 'ready' && (
        <View className='mall-head'>
          {view.member ? (
            <View className='mall-head__points'>
              我的积分{' '}
              <View className='mall-head__value' id='mall-points'>
                {view.member.points}
              </View>
            </View>
          ) : (
            <View className='mall-head__guest' id='mall-join' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
              入会即可用积分兑换好礼 ›
            </View>
          )}
          <View className='mall-head__orders' id='mall-orders-entry' onClick={() => void Taro.navigateTo({ url: routeUrl('orders') })}>
            我的订单 ›
          </View>
        </View>
      )}

      {view.kind === 'ready' && view.categories.length > 0 && (
        <View className='tabs tabs--scroll mall-categories'>
          <View className={`tabs__item ${category === null ? 'tabs__item--active' : ''}`} id='mall-category-all' onClick={() => pick(null)}>
            全部
          </View>
          {view.categories.map((name, index) => (
            <View key={name} className={`tabs__item ${category === name ? 'tabs__item--active' : ''}`} id={`mall-category-${index}`} onClick={() => pick(name)}>
              {name}
            </View>
          ))}
        </View>
      )}

      {view.kind === 'loading' && <LoadingState text='正在加载商品…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load(category, true)} />}
      {view.kind === 'ready' && view.products.length === 0 && <EmptyState title={category ? '这个分类暂时没有商品' : '商城暂时没有商品'} hint='新品上架后会出现在这里' />}
      {view.kind === 'ready' && view.products.length > 0 && (
        <View className='mall-grid' id='mall-products'>
          {view.products.map((product) => (
            <View className='mall-item' key={product.productId} id={`product-${product.productId}`} onClick={() => open(product)}>
              <View className='mall-item__picture'>
                <Picture
                  id={`product-picture-${product.productId}`}
                  src={product.image}
                  placeholder={product.kind === 'coupon' ? '券' : product.name.slice(0, 2)}
                  imageClass='mall-item__image'
                  placeholderClass='mall-item__placeholder'
                />
                {product.pinned && <View className='mall-item__pin'>推荐</View>}
              </View>
              <View className='mall-item__name'>{product.name}</View>
              <View className='mall-item__price'>{formatPointsPrice(product.points, product.amount)}</View>
              <View className='mall-item__stock'>{product.stock > 0 ? `库存 ${product.stock}` : '已兑完'}</View>
            </View>
          ))}
        </View>
      )}
    </View>
  )
}
