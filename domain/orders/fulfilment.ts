/**
 * How an order's goods reach the member (门店自提 at a store that exists, 快递配送 to one of the
 * member's addresses), as what is sold allows: points-mall goods, flash sales and group-buys
 * share these rules.
 */
import { z } from 'zod'
import type { FulfilmentType } from '../contract/trade'
import type { AddressRecord } from '../membership'
import { AppError } from '../shared/errors'
import type { OrderRecord } from './order'

export type { FulfilmentType }
export const FULFILMENT_TYPES: readonly FulfilmentType[] = ['pickup', 'delivery']

/** Configuration of what is sold: the ways it may reach the member, at least one, each once. */
export const fulfilmentTypesSchema = z
  .array(z.enum(['pickup', 'delivery']))
  .min(1, 'name pickup, delivery or both')
  .refine((types) => new Set(types).size === types.length, 'each way once')

export type FulfilmentInput = { type: 'pickup'; storeId: string } | { type: 'delivery'; addressId: string }
export type Fulfilment = NonNullable<OrderRecord['fulfilment']>

export function formatAddress(address: Pick<AddressRecord, 'name' | 'phone' | 'region' | 'detail'>): string {
  return `${address.name} ${address.phone} ${address.region} ${address.detail}`
}

export function fulfilmentUnsupported(type: FulfilmentType, allowed: readonly FulfilmentType[]): AppError {
  return new AppError('FULFILMENT_UNSUPPORTED', type === 'pickup' ? '该商品不支持门店自提' : '该商品不支持快递配送', [{ path: 'fulfilment.type', message: `must be one of ${allowed.join(', ')}` }])
}

/** The fulfilment an order records, from the member's choice among `allowed`. */
export function resolveFulfilment(
  allowed: readonly FulfilmentType[],
  input: FulfilmentInput | undefined,
  lookups: { storeExists: (storeId: string) => boolean; addresses: AddressRecord[] },
): Fulfilment {
  if (!input) {
    throw new AppError('FULFILMENT_REQUIRED', allowed.includes('pickup') ? '请选择自提门店' : '请选择收货地址', [{ path: 'fulfilment', message: `one of ${allowed.join(', ')} is required` }])
  }
  if (!allowed.includes(input.type)) throw fulfilmentUnsupported(input.type, allowed)
  if (input.type === 'pickup') {
    if (!lookups.storeExists(input.storeId)) throw new AppError('STORE_NOT_FOUND', '未找到该门店', [{ path: 'fulfilment.storeId', message: 'no such store' }])
    return { type: 'pickup', storeId: input.storeId, collectedAt: null, staffId: null }
  }
  const address = lookups.addresses.find((entry) => entry.id === input.addressId)
  if (!address) throw new AppError('ADDRESS_NOT_FOUND', '收货地址不存在或已删除', [{ path: 'fulfilment.addressId', message: 'no such address in the member’s address book' }])
  return { type: 'delivery', address: formatAddress(address), carrier: null, trackingNo: null, shippedAt: null }
}
