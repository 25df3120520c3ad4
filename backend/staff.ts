import { AppError } from '../domain/errors'
import type { Caller } from './cloud'
import { database } from './cloud'

export interface StaffRecord {
  _id: string
  openid: string
  name: string
  role: 'clerk' | 'manager' | 'admin'
  storeId: string
  channelId: string | null
}

/** Staff rights are checked here, on the server, for every staff action. */
export async function requireStaff(caller: Caller): Promise<StaffRecord> {
  if (!caller.openid) throw new AppError('WECHAT_USER_REQUIRED', '请在微信中打开小程序')
  const { data } = await database().collection('staff').where({ openid: caller.openid }).limit(1).get()
  const staff = data[0] as StaffRecord | undefined
  if (!staff) throw new AppError('NOT_STAFF', '仅限门店店员使用')
  return staff
}

/**
 * Admin actions run from the CloudBase console or a timer trigger (no WeChat user in the
 * context), or for a head-office admin; never for a mini-program consumer or clerk.
 */
export async function requireAdmin(caller: Caller): Promise<StaffRecord | null> {
  if (!caller.openid) return null
  const { data } = await database().collection('staff').where({ openid: caller.openid }).limit(1).get()
  const staff = data[0] as StaffRecord | undefined
  if (staff?.role !== 'admin') throw new AppError('ADMIN_ONLY', '仅限总部管理员在控制台使用')
  return staff
}

/** Store managers (and head office) only. */
export function requireManager(staff: StaffRecord): void {
  if (staff.role !== 'manager' && staff.role !== 'admin') throw new AppError('MANAGER_ONLY', '仅限店长操作')
}
