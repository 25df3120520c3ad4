/** The pure side of asking how goods reach the member (the picker's choice, what is sent, the confirmation line). */
import type { AddressView, FulfilmentType, StoreView } from '@domain/contract'
import type { FulfilmentInput } from '@domain/orders'

export const FULFILMENT_TEXT: Record<FulfilmentType, string> = { pickup: '门店自提', delivery: '快递配送' }

/** What the member picked: a way, and the store or address it needs (null until one is picked). */
export interface FulfilmentChoice {
  type: FulfilmentType | null
  storeId: string | null
  addressId: string | null
}

/** The ways offered, pickup first. */
export function offeredWays(offered: readonly FulfilmentType[]): FulfilmentType[] {
  return (['pickup', 'delivery'] as const).filter((type) => offered.includes(type))
}

/** The choice kept where it still holds, else the first way, the first store and the default address. */
export function defaultChoice(current: FulfilmentChoice | null, offered: readonly FulfilmentType[], stores: StoreView[], addresses: AddressView[]): FulfilmentChoice {
  const ways = offeredWays(offered)
  const type = current?.type && ways.includes(current.type) ? current.type : (ways[0] ?? null)
  const storeId = current?.storeId && stores.some((store) => store.id === current.storeId) ? current.storeId : (stores[0]?.id ?? null)
  const addressId =
    current?.addressId && addresses.some((address) => address.id === current.addressId) ? current.addressId : ((addresses.find((address) => address.isDefault) ?? addresses[0])?.id ?? null)
  return { type, storeId, addressId }
}

/** What the server is sent, or null while the choice lacks its store or address. */
export function fulfilmentInput(choice: FulfilmentChoice): FulfilmentInput | null {
  if (choice.type === 'pickup' && choice.storeId) return { type: 'pickup', storeId: choice.storeId }
  if (choice.type === 'delivery' && choice.addressId) return { type: 'delivery', addressId: choice.addressId }
  return null
}

/** One line for a confirmation: 门店自提：静安店 / 快递配送：上海市 静安区 … */
export function fulfilmentLine(choice: FulfilmentChoice, stores: StoreView[], addresses: AddressView[]): string {
  if (choice.type === 'pickup') return `门店自提：${stores.find((store) => store.id === choice.storeId)?.name ?? ''}`
  const address = addresses.find((item) => item.id === choice.addressId)
  return `快递配送：${address ? `${address.region} ${address.detail}` : ''}`
}

export type FulfilmentOptions = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; stores: StoreView[]; addresses: AddressView[] }

export interface FulfilmentState {
  offered: readonly FulfilmentType[]
  options: FulfilmentOptions
  choice: FulfilmentChoice
  setChoice: (next: FulfilmentChoice) => void
  /** what to send, or null while the choice lacks its store or address */
  input: FulfilmentInput | null
  reload: () => void
}
