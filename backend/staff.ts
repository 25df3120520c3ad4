import type { StaffRole } from '../domain/contract'
import { database } from './cloud'

export interface StaffRecord {
  _id: string
  openid: string
  name: string
  role: StaffRole
  storeId: string
  channelId: string | null
}

/**
 * The staff row of a WeChat user, or null. The router (backend/handler.ts) calls it once for an
 * action that admits staff roles, and hands the record to the handler; handlers do not check
 * staff rights themselves.
 */
export async function findStaff(openid: string): Promise<StaffRecord | null> {
  const { data } = await database().collection('staff').where({ openid }).limit(1).get()
  return (data[0] as StaffRecord | undefined) ?? null
}
