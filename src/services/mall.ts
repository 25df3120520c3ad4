import type { ActionInput } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'

/** 积分商城. An exchange carries one requestId per intent: the same requestId finds the same order. */
export const mallService = {
  /** The shelf the member's tier sees (pinned first) and every category on it; `category` filters. */
  products: (category?: string) => retryOnNetwork(() => callFunction('mall', 'products', category ? { category } : {})),
  product: (productId: string) => retryOnNetwork(() => callFunction('mall', 'product', { productId })),
  /** 积分兑换: the order, and WeChat Pay parameters when the cash part is paid by WeChat Pay. */
  exchange: (input: ActionInput<'mall', 'exchange'>) => retryOnNetwork(() => callFunction('mall', 'exchange', input)),
}
