/**
 * The counter log (门店台账). Money and points actions are ledger entries, which already carry
 * clerk, store and time, so the log reads them from the ledger; actions that move no money
 * (verifications, card services, coupon redemptions, pickups) are written to `counter_log`.
 */
import type { ActionResults, CounterLogEntryView } from '../../domain/contract'
import { counterLine, totalsOf, type CounterLine } from '../../domain/loyalty/counter-figures'
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

const MONEY_KINDS = ['purchase', 'refund', 'topup', 'adjust']

async function all<T>(collection: string, where: Record<string, unknown>, orderField: string): Promise<T[]> {
  const found: T[] = []
  for (let offset = 0; ; offset += 1000) {
    const { data } = await database().collection(collection).where(where).orderBy(orderField, 'desc').skip(offset).limit(1000).get()
    found.push(...(data as T[]))
    if (data.length < 1000) return found
  }
}

/** Documents by id, a hundred ids a query, only the fields asked for. */
async function byIds<T extends { _id: string }>(collection: string, ids: string[], fields: Record<string, true>): Promise<Map<string, T>> {
  const _ = database().command
  const found = new Map<string, T>()
  for (let i = 0; i < ids.length; i += 100) {
    const { data } = await database()
      .collection(collection)
      .where({ _id: _.in(ids.slice(i, i + 100)) })
      .field(fields)
      .limit(100)
      .get()
    for (const doc of data as T[]) found.set(doc._id, doc)
  }
  return found
}

/** The store's log for a business day, with its figures and each clerk's: a manager sees everyone's, a clerk their own. */
export async function counterLog(staff: StaffRecord, day: string | undefined, now: Date): Promise<ActionResults['staff']['counterLog']> {
  const { brand } = await loyaltyConfig()
  const wanted = day ?? businessDay(now, brand.timeZone)
  const scope: Record<string, unknown> = { storeId: staff.storeId, businessDay: wanted }
  if (staff.role === 'clerk') scope.staffId = staff._id
  const _ = database().command
  const [entries, records, staffList] = await Promise.all([
    all<LedgerEntry>('ledger', { ...scope, kind: _.in(MONEY_KINDS) }, 'createdAt'),
    all<CounterLogRecord>('counter_log', scope, 'at'),
    database().collection('staff').where({ storeId: staff.storeId }).limit(1000).get(),
  ])
  const staffNames = new Map((staffList.data as StaffRecord[]).map((member) => [member._id, member.name]))
  // refunds recorded before they named how the purchase was paid: read those purchases
  const unnamed = entries.filter((entry) => entry.kind === 'refund' && !(entry.detail as { payMethod?: unknown } | undefined)?.payMethod && entry.reverses).map((entry) => entry.reverses as string)
  const [members, reversed] = await Promise.all([
    byIds<{ _id: string; memberNo: string; nickname: string }>('members', [...new Set([...entries.map((entry) => entry.memberId), ...records.map((record) => record.memberId)])], {
      _id: true,
      memberNo: true,
      nickname: true,
    }),
    byIds<LedgerEntry>('ledger', [...new Set(unnamed)], { _id: true, detail: true }),
  ])
  const paidBy = (purchaseId: string) => {
    const purchase = reversed.get(purchaseId)
    return purchase ? counterLine({ ...purchase, kind: 'purchase' }, () => null).payMethod : null
  }
  const lines = entries.map((entry) => ({ entry, line: counterLine(entry, paidBy) }))
  const moneyViews: CounterLogEntryView[] = lines.map(({ entry, line }) => ({
    id: entry._id,
    action: line.action,
    staffName: staffNames.get(entry.staffId ?? '') ?? entry.staffId ?? '',
    memberNo: members.get(entry.memberId)?.memberNo ?? '',
    nickname: members.get(entry.memberId)?.nickname ?? '',
    amount: line.amount,
    payMethod: line.payMethod,
    bonus: line.bonus,
    points: line.points,
    at: new Date(entry.createdAt).toISOString(),
    note: entry.description,
  }))
  const logged: CounterLogEntryView[] = records.map((record) => ({
    id: record._id,
    action: record.action,
    staffName: record.staffName,
    memberNo: record.memberNo,
    nickname: members.get(record.memberId)?.nickname ?? '',
    amount: 0,
    payMethod: null,
    bonus: 0,
    points: 0,
    at: new Date(record.at).toISOString(),
    note: record.note,
  }))
  const byStaff = new Map<string, CounterLine[]>()
  for (const { entry, line } of lines) byStaff.set(entry.staffId ?? '', [...(byStaff.get(entry.staffId ?? '') ?? []), line])
  return {
    day: wanted,
    storeName: await storeName(staff.storeId),
    entries: [...moneyViews, ...logged].sort((a, b) => (a.at < b.at ? 1 : -1)),
    totals: totalsOf(lines.map(({ line }) => line)),
    byStaff: [...byStaff.entries()]
      .map(([staffId, staffLines]) => ({ staffId, staffName: staffNames.get(staffId) ?? staffId, totals: totalsOf(staffLines) }))
      .sort((a, b) => b.totals.salesFen - a.totals.salesFen || (a.staffName < b.staffName ? -1 : 1)),
  }
}
