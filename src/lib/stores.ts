/**
 * Stores a member can pick up at (门店自提). The contract has no stores action and the stores are
 * fixed demo data (emulator/seed.ts `stores`), so the list lives here; the first one is the
 * member's usual store and the default choice. The server checks the store exists either way.
 */
export interface PickupStore {
  storeId: string
  name: string
}

export const PICKUP_STORES: readonly PickupStore[] = [
  { storeId: 's-jingan', name: '上海静安嘉里中心店' },
  { storeId: 's-xuhui', name: '上海徐汇港汇恒隆店' },
]

export const USUAL_STORE_ID = PICKUP_STORES[0].storeId
