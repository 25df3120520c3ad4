import { database } from '../platform/cloud'

export interface StoreRecord {
  _id: string
  name: string
  region?: string
  city?: string
}

const CACHE_MS = 5 * 60_000
let cached: { at: number; stores: Promise<Map<string, StoreRecord>> } | undefined

/** Stores change rarely; a warm instance keeps them for a few minutes. */
export function stores(now = Date.now()): Promise<Map<string, StoreRecord>> {
  if (!cached || now - cached.at > CACHE_MS) {
    const loading = database()
      .collection('stores')
      .limit(1000)
      .get()
      .then(({ data }) => new Map((data as StoreRecord[]).map((store) => [store._id, store])))
    cached = { at: now, stores: loading }
    loading.catch(() => {
      if (cached?.stores === loading) cached = undefined
    })
  }
  return cached.stores
}

export async function storeName(storeId: string): Promise<string> {
  return (await stores()).get(storeId)?.name ?? storeId
}
