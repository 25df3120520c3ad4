import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { AddressView, FulfilmentType, StoreView } from '@domain/contract'
import { ErrorNotice } from '../../../components/page-state'
import { routeUrl } from '../../../routes'
import { FULFILMENT_TEXT, offeredWays, type FulfilmentChoice, type FulfilmentState } from '../../lib/fulfilment-choice'
import './index.scss'

/**
 * 领取方式: 门店自提 (a store) or 快递配送 (one of the member's addresses, or a way to add one), as
 * what is sold offers. The points mall, flash sales and group-buys all ask with this.
 */
export default function FulfilmentPicker({
  offered,
  stores,
  addresses,
  value,
  onChange,
  disabled = false,
}: {
  offered: readonly FulfilmentType[]
  stores: StoreView[]
  addresses: AddressView[]
  value: FulfilmentChoice
  onChange: (next: FulfilmentChoice) => void
  disabled?: boolean
}) {
  const ways = offeredWays(offered)
  const pick = (change: Partial<FulfilmentChoice>) => {
    if (!disabled) onChange({ ...value, ...change })
  }
  return (
    <View className='fulfilment-picker'>
      <View className='field'>
        <View className='field__label'>领取方式</View>
        <View className='choice-group'>
          {ways.map((type) => (
            <View key={type} className={`choice ${value.type === type ? 'choice--active' : ''}`} id={`fulfil-${type}`} onClick={() => pick({ type })}>
              {FULFILMENT_TEXT[type]}
            </View>
          ))}
        </View>
      </View>

      {value.type === 'pickup' && (
        <View className='field'>
          <View className='field__label'>自提门店</View>
          {stores.length > 0 ? (
            stores.map((store) => (
              <View key={store.id} className={`choice fulfilment-option ${value.storeId === store.id ? 'choice--active' : ''}`} id={`store-${store.id}`} onClick={() => pick({ storeId: store.id })}>
                {store.name}
                {store.city ? <View className='choice__sub'>{store.city}</View> : null}
              </View>
            ))
          ) : (
            <View className='notice' id='fulfil-no-store'>
              暂无可自提的门店{ways.includes('delivery') ? '，请选择快递配送' : ''}。
            </View>
          )}
        </View>
      )}

      {value.type === 'delivery' && (
        <View className='field'>
          <View className='field__label'>收货地址</View>
          {addresses.length > 0 ? (
            addresses.map((item) => (
              <View
                key={item.id}
                className={`choice fulfilment-option fulfilment-address ${value.addressId === item.id ? 'choice--active' : ''}`}
                id={`address-${item.id}`}
                onClick={() => pick({ addressId: item.id })}
              >
                <View>
                  {item.name} {item.phone}
                </View>
                <View className='fulfilment-address__line'>
                  {item.region} {item.detail}
                </View>
              </View>
            ))
          ) : (
            <View className='notice' id='fulfil-no-address'>
              还没有收货地址。
              <View className='fulfilment-add-address' id='fulfil-add-address' onClick={() => void Taro.navigateTo({ url: routeUrl('profile') })}>
                去添加收货地址 ›
              </View>
            </View>
          )}
        </View>
      )}
    </View>
  )
}

/** The picker in a dialog of a flash sale or group-buy, with the stores and addresses as they load (useFulfilmentChoice). */
export function FulfilmentSection({ state, disabled = false }: { state: FulfilmentState; disabled?: boolean }) {
  if (state.options.kind === 'loading') {
    return (
      <View className='notice' id='fulfil-loading'>
        正在加载自提门店和收货地址…
      </View>
    )
  }
  if (state.options.kind === 'error') {
    return (
      <View id='fulfil-error'>
        <ErrorNotice error={state.options.error} prefix='门店和地址加载失败：' />
        <View className='fulfilment-add-address' id='fulfil-reload' onClick={state.reload}>
          重新加载 ›
        </View>
      </View>
    )
  }
  return <FulfilmentPicker offered={state.offered} stores={state.options.stores} addresses={state.options.addresses} value={state.choice} onChange={state.setChoice} disabled={disabled} />
}
