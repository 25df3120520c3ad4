/**
 * 积分商城: the shelf a member's tier sees, one product, and 积分兑换 (see exchange.ts).
 * The mall's sweep (unpaid exchanges past their deadline, stock held by exchanges that died half
 * way) runs in the `jobs` function's minute timer.
 */
import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { catalogue, isVisibleTo, toProductView } from '../../../domain/mall'
import { memberIdFor } from '../../../domain/membership'
import { defineFunction, requireMember } from '../../../backend/platform/handler'
import { withImageLinks } from '../../../backend/platform/storage'
import { exchange, findProduct, hiddenFromTier, productsOnShelf } from '../../../backend/mall'
import { findMember } from '../../../backend/membership'
import { ORDER_KINDS } from '../../../backend/compositions/order-kinds'

type Results = ActionResults['mall']

/** The caller's tier, or null for a visitor who has not joined (sees what every member sees). */
async function tierOf(openid: string): Promise<string | null> {
  const member = await findMember(memberIdFor(openid))
  return member?.tierId ?? null
}

export const main = defineFunction('mall', {
  async products({ category }, { caller }): Promise<Results['products']> {
    const openid = requireMember(caller)
    const [tierId, shelf] = await Promise.all([tierOf(openid), productsOnShelf()])
    const { products, categories } = catalogue(shelf, tierId, category)
    return { products: await withImageLinks(products), categories }
  },

  async product({ productId }, { caller }): Promise<Results['product']> {
    const openid = requireMember(caller)
    const [tierId, product] = await Promise.all([tierOf(openid), findProduct(productId)])
    if (!product || !product.onShelf) throw new AppError('PRODUCT_NOT_FOUND', '商品不存在或已下架')
    if (!isVisibleTo(product, tierId)) throw await hiddenFromTier(product)
    const [view] = await withImageLinks([toProductView(product)])
    return { product: view }
  },

  async exchange(input, { caller, now }): Promise<Results['exchange']> {
    return exchange(input, requireMember(caller), now, ORDER_KINDS)
  },
})
