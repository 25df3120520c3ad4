/**
 * 门店: the brand's stores, for 门店自提 and the like. Anyone may ask (a visitor who has not joined
 * yet too); the list comes from the `stores` collection through backend/stores.ts, which a warm
 * instance keeps for a few minutes.
 */
import type { StoreView } from '../../../domain/contract'
import { stores, type MemberHandlers } from '../../../backend/membership'

export const storeHandlers: MemberHandlers<'stores'> = {
  async stores(_input, { now }) {
    const list: StoreView[] = [...(await stores(now.getTime())).values()]
      .map((store) => ({ id: store._id, name: store.name, city: store.city ?? null }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return { stores: list }
  },
}
