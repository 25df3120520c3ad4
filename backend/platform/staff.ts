import type { StaffRole } from '../../domain/contract'
import { database } from './cloud'

export interface StaffRecord {
  _id: string
  openid: string
  name: string
  role: StaffRole
  storeId: string
  channelId: string | null
}

/** How long a warm instance keeps a staff row, like configuration: a removed clerk's rights end within it. */
export const STAFF_KEPT_MS = 30_000
const kept = new Map<string, { at: number; staff: StaffRecord }>()

/**
 * The staff row of a WeChat user, or null. The router (backend/handler.ts) calls it once for an
 * action that admits staff roles, and hands the record to the handler; handlers do not check
 * staff rights themselves. A row found is kept STAFF_KEPT_MS (a busy counter saves a call per
 * action); "not staff" is never kept, so a clerk added in the console can start at once.
 */
export async function findStaff(openid: string): Promise<StaffRecord | null> {
  const hit = kept.get(openid)
  if (hit && Date.now() - hit.at < STAFF_KEPT_MS) return hit.staff
  const { data } = await database().collection('staff').where({ openid }).limit(1).get()
  const staff = (data[0] as StaffRecord | undefined) ?? null
  if (staff) kept.set(openid, { at: Date.now(), staff })
  else kept.delete(openid)
  return staff
}
