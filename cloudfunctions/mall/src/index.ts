/**
 * 积分商城: the shelf a member's tier sees, one product, and 积分兑换 (see exchange.ts).
 * A timer trigger (`mallSweep`, every minute, no user) closes unpaid exchanges past their
 * deadline and gives back stock held by exchanges that died half way.
 */
import type { ActionResults, CallAnswer } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { catalogue, isVisibleTo, toProductView } from '../../../domain/mall/mall'
import { memberIdFor } from '../../../domain/membership/member'
import type { Caller } from '../../../backend/platform/cloud'
import { defineFunction, internalError, requireMember, type PlatformEventHandler } from '../../../backend/platform/handler'
import { findProduct, productsOnShelf, sweepMall, type MallSweep } from '../../../backend/mall/mall'
import { findMember } from '../../../backend/membership/members'
import { exchange, hiddenFromTier } from './exchange'

type Results = ActionResults['mall']

export const SWEEP_TRIGGER = 'mallSweep'

/** The caller's tier, or null for a visitor who has not joined (sees what every member sees). */
async function tierOf(openid: string): Promise<string | null> {
  const member = await findMember(memberIdFor(openid))
  return member?.tierId ?? null
}

async function onTimer(event: Record<string, unknown>, caller: Caller, now: Date, deadline: number): Promise<CallAnswer<MallSweep>> {
  if (caller.openid) return { ok: false, error: new AppError('TIMER_ONLY', '定时任务只能由云开发定时触发器运行').toJSON() }
  if (event.TriggerName !== SWEEP_TRIGGER) return { ok: false, error: new AppError('UNKNOWN_TRIGGER', `unknown timer trigger ${String(event.TriggerName).slice(0, 64)}`).toJSON() }
  try {
    return { ok: true, data: await sweepMall(now, deadline) }
  } catch (error) {
    return { ok: false, error: internalError('mall sweep', error) }
  }
}

const timer: PlatformEventHandler = (event, { caller, now }) => (event.Type === 'Timer' ? onTimer(event, caller, now, Date.now() + 40_000) : undefined)

export const main = defineFunction(
  'mall',
  {
    async products({ category }, { caller }): Promise<Results['products']> {
      const openid = requireMember(caller)
      const [tierId, shelf] = await Promise.all([tierOf(openid), productsOnShelf()])
      return catalogue(shelf, tierId, category)
    },

    async product({ productId }, { caller }): Promise<Results['product']> {
      const openid = requireMember(caller)
      const [tierId, product] = await Promise.all([tierOf(openid), findProduct(productId)])
      if (!product || !product.onShelf) throw new AppError('PRODUCT_NOT_FOUND', '商品不存在或已下架')
      if (!isVisibleTo(product, tierId)) throw await hiddenFromTier(product)
      return { product: toProductView(product) }
    },

    async exchange(input, { caller, now }): Promise<Results['exchange']> {
      return exchange(input, requireMember(caller), now)
    },
  },
  timer,
)
