import type { ActionResults, CounterLogEntryView } from '../../../domain/contract'
import { businessDay } from '../../../domain/time'
import { database, isDuplicateKey } from '../../../backend/cloud'
import { loyaltyConfig } from '../../../backend/config-store'
import type { StaffRecord } from '../../../backend/staff'
import { storeName } from '../../../backend/stores'

export interface CounterLogRecord {
  _id: string
  storeId: string
  staffId: string
  staffName: string
  action: CounterLogEntryView['action']
  memberId: string
  memberNo: string
  amount: number
  points: number
  at: Date
  businessDay: string
  note: string
}

/** Every counter action is logged with clerk, store and time; the id makes a retry log it once. */
export async function logCounterAction(
  id: string,
  staff: StaffRecord,
  action: CounterLogRecord['action'],
  member: { _id: string; memberNo: string },
  values: { amount: number; points: number; note: string },
  now: Date,
): Promise<void> {
  const { brand } = await loyaltyConfig()
  const record: CounterLogRecord = {
    _id: `log:${id}`,
    storeId: staff.storeId,
    staffId: staff._id,
    staffName: staff.name,
    action,
    memberId: member._id,
    memberNo: member.memberNo,
    ...values,
    at: now,
    businessDay: businessDay(now, brand.timeZone),
  }
  try {
    await database().collection('counter_log').add(record)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

export function counterTotals(records: CounterLogRecord[]): ActionResults['staff']['counterLog']['totals'] {
  const totals = { purchases: 0, refunds: 0, salesFen: 0, refundFen: 0, topupFen: 0, pointsIssued: 0 }
  for (const record of records) {
    if (record.action === 'purchase') {
      totals.purchases += 1
      totals.salesFen += record.amount
    } else if (record.action === 'refund') {
      totals.refunds += 1
      totals.refundFen += -record.amount
    } else if (record.action === 'topup') totals.topupFen += record.amount
    if (record.points > 0) totals.pointsIssued += record.points
  }
  return totals
}

/** The store's log for a business day: a manager sees everyone's, a clerk their own. */
export async function counterLog(staff: StaffRecord, day: string | undefined, now: Date): Promise<ActionResults['staff']['counterLog']> {
  const { brand } = await loyaltyConfig()
  const wanted = day ?? businessDay(now, brand.timeZone)
  const where: Record<string, unknown> = { storeId: staff.storeId, businessDay: wanted }
  if (staff.role === 'clerk') where.staffId = staff._id
  const records: CounterLogRecord[] = []
  for (let offset = 0; ; offset += 1000) {
    const { data } = await database().collection('counter_log').where(where).orderBy('at', 'desc').skip(offset).limit(1000).get()
    records.push(...(data as CounterLogRecord[]))
    if (data.length < 1000) break
  }
  return {
    day: wanted,
    storeName: await storeName(staff.storeId),
    entries: records.map((record) => ({
      id: record._id,
      action: record.action,
      staffName: record.staffName,
      memberNo: record.memberNo,
      amount: record.amount,
      points: record.points,
      at: new Date(record.at).toISOString(),
      note: record.note,
    })),
    totals: counterTotals(records),
  }
}
