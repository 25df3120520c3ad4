import type { ActionInput } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'

/** 秒杀 and 拼团. Every attempt carries one requestId per intent, reused on retry. */
export const promoService = {
  flashSales: () => retryOnNetwork(() => callFunction('promo', 'flashSales', {})),
  /** 立即抢购: an unpaid order to pay within 15 minutes (order.pay). */
  flashBuy: (input: ActionInput<'promo', 'flashBuy'>) => retryOnNetwork(() => callFunction('promo', 'flashBuy', input)),
  groupCampaigns: () => retryOnNetwork(() => callFunction('promo', 'groupCampaigns', {})),
  /** 发起拼团: the group, the leader's order, and WeChat Pay parameters when paying by WeChat Pay. */
  startGroup: (input: ActionInput<'promo', 'startGroup'>) => retryOnNetwork(() => callFunction('promo', 'startGroup', input)),
  /** 参团 */
  joinGroup: (input: ActionInput<'promo', 'joinGroup'>) => retryOnNetwork(() => callFunction('promo', 'joinGroup', input)),
  group: (groupId: string) => retryOnNetwork(() => callFunction('promo', 'group', { groupId })),
  myGroups: () => retryOnNetwork(() => callFunction('promo', 'myGroups', {})),
}
