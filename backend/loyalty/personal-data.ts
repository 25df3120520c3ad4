/** What loyalty holds about one member, for the personal data export (个人信息导出). */
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import type { MemberRecord } from '../../domain/membership'
import { database } from '../platform/cloud'
import { allPages } from '../platform/jobs'
import { flushOutbox } from './ledger'

export interface TopupOrderRow {
  _id: string
  amount: number
  bonus: number
  status: string
  createdAt: Date
  paidAt?: Date | null
}

/** The member's whole ledger (the outbox flushed into it first) and their WeChat Pay top-ups. */
export async function loyaltyDataOf(member: MemberRecord): Promise<{ ledger: LedgerEntry[]; topupOrders: TopupOrderRow[] }> {
  await flushOutbox(member)
  const db = database()
  const [ledger, topupOrders] = await Promise.all([
    allPages<LedgerEntry>(() => db.collection('ledger').where({ memberId: member._id }).orderBy('createdAt', 'asc').orderBy('_id', 'asc')),
    allPages<TopupOrderRow>(() => db.collection('payment_orders').where({ memberId: member._id }).orderBy('createdAt', 'asc').orderBy('_id', 'asc')),
  ])
  return { ledger: ledger.filter((entry) => entry.memberId === member._id), topupOrders }
}
