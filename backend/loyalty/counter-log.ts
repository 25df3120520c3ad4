/**
 * The counter log (门店台账). Money and points actions are ledger entries, which already carry
 * clerk, store and time, so the log reads them from the ledger; actions that move no money
 * (verifications, card services, coupon redemptions, pickups) are written to `counter_log`.
 */
import type { ActionResults, CounterLogEntryView } from '../../domain/contract'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { businessDay } from '../../domain/shared/time'
import { database, isDuplicateKey } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import type { StaffRecord } from '../platform/staff'
import { storeName } from '../membership'

type LoggedAction = Exclude<CounterLogEntryView['action'], 'purchase' | 'refund' | 'topup' | 'adjust'>

export interface CounterLogRecord {
  _id: string
  storeId: string
  staffId: string
  staffName: string
  action: LoggedAction
  memberId: string
  memberNo: string
  at: Date
  businessDay: string
  note: string
}

/** Logs an action that moves no money; the id makes a retry log it once. */
export async function logCounterAction(id: string, staff: StaffRecord, action: LoggedAction, member: { _id: string; memberNo: string }, note: string, now: Date): Promise<void> {
  const { brand } = await loyaltyConfig()
  const record: CounterLogRecord = {
    _id: `log:${id}`,
    storeId: staff.storeId,
    staffId: staff._id,
    staffName: staff.name,
    action,
    memberId: member._id,
    memberNo: member.memberNo,
    at: now,
    businessDay: businessDay(now, brand.timeZone),
    note,
  }
  try {
    await database().collection('counter_log').add(record)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

const MONEY_ACTIONS: Record<string, CounterLogEntryView['action']> = { purchase: 'purchase', refund: 'refund', topup: 'topup', adjust: 'adjust' }

function detailNumber(entry: LedgerEntry, key: string): number {
  return Number((entry.detail as Record<string, unknown> | undefined)?.[key] ?? 0)
}

export function entryToLog(entry: LedgerEntry, staffNames: Map<string, string>, memberNos: Map<string, string>): CounterLogEntryView {
  const action = MONEY_ACTIONS[entry.kind]
  const amount = entry.kind === 'purchase' ? detailNumber(entry, 'payable') : entry.kind === 'refund' ? -detailNumber(entry, 'payable') : entry.kind === 'topup' ? entry.balance : 0
  return {
    id: entry._id,
    action,
    staffName: staffNames.get(entry.staffId ?? '') ?? entry.staffId ?? '',
    memberNo: memberNos.get(entry.memberId) ?? '',
    amount,
    points: entry.points,
    at: new Date(entry.createdAt).toISOString(),
    note: entry.description,
  }
}

export function counterTotals(entries: CounterLogEntryView[]): ActionResults['staff']['counterLog']['totals'] {
  const totals = { purchases: 0, refunds: 0, salesFen: 0, refundFen: 0, topupFen: 0, pointsIssued: 0 }
  for (const entry of entries) {
    if (entry.action === 'purchase') {
      totals.purchases += 1
      totals.salesFen += entry.amount
    } else if (entry.action === 'refund') {
      totals.refunds += 1
      totals.refundFen += -entry.amount
    } else if (entry.action === 'topup') totals.topupFen += entry.amount
    if (entry.points > 0 && entry.action !== 'refund') totals.pointsIssued += entry.points
  }
  return totals
}

async function all<T>(collection: string, where: Record<string, unknown>, orderField: string): Promise<T[]> {
  const found: T[] = []
  for (let offset = 0; ; offset += 1000) {
    const { data } = await database().collection(collection).where(where).orderBy(orderField, 'desc').skip(offset).limit(1000).get()
    found.push(...(data as T[]))
    if (data.length < 1000) return found
  }
}

/** The store's log for a business day: a manager sees everyone's, a clerk their own. */
export async function counterLog(staff: StaffRecord, day: string | undefined, now: Date): Promise<ActionResults['staff']['counterLog']> {
  const { brand } = await loyaltyConfig()
  const wanted = day ?? businessDay(now, brand.timeZone)
  const scope: Record<string, unknown> = { storeId: staff.storeId, businessDay: wanted }
  if (staff.role === 'clerk') scope.staffId = staff._id
  const _ = database().command
  const [entries, records, staffList] = await Promise.all([
    all<LedgerEntry>('ledger', { ...scope, kind: _.in(Object.keys(MONEY_ACTIONS)) }, 'createdAt'),
    all<CounterLogRecord>('counter_log', scope, 'at'),
    database().collection('staff').where({ storeId: staff.storeId }).limit(1000).get(),
  ])
  const staffNames = new Map((staffList.data as StaffRecord[]).map((member) => [member._id, member.name]))
  const memberIds = [...new Set(entries.map((entry) => entry.memberId))]
  const memberNos = new Map<string, string>()
  for (let i = 0; i < memberIds.length; i += 100) {
    const { data } = await database()
      .collection('members')
      .where({ _id: _.in(memberIds.slice(i, i + 100)) })
      .field({ memberNo: true })
      .limit(100)
      .get()
    for (const member of data as { _id: string; memberNo: string }[]) memberNos.set(member._id, member.memberNo)
  }
  const logged: CounterLogEntryView[] = records.map((record) => ({
    id: record._id,
    action: record.action,
    staffName: record.staffName,
    memberNo: record.memberNo,
    amount: 0,
    points: 0,
    at: new Date(record.at).toISOString(),
    note: record.note,
  }))
  const merged = [...entries.map((entry) => entryToLog(entry, staffNames, memberNos)), ...logged].sort((a, b) => (a.at < b.at ? 1 : -1))
  return { day: wanted, storeName: await storeName(staff.storeId), entries: merged, totals: counterTotals(merged) }
}
