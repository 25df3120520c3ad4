/**
 * The shape of one ledger entry: every change to a member's points, points owed, locked points,
 * stored value or growth. Loyalty owns the ledger and its rules (domain/loyalty/ledger.ts); the shape is shared
 * because the member document carries entries in its outbox and orders and views refer to them.
 */

/** `share`, `like`, `read` and `review` are retired (no new entries); old entries keep them. */
export const ENTRY_KINDS = [
  'join',
  'checkin',
  'share',
  'like',
  'read',
  'review',
  'purchase',
  'refund',
  'topup',
  'adjust',
  'grant',
  'expire',
  'import',
  'order',
  'order-refund',
  'reward',
  'reward-unlock',
  'reward-cancel',
  'reward-clawback',
] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]

export interface LedgerEntry {
  _id: string
  memberId: string
  kind: EntryKind
  /** net change of (points − points owed) */
  points: number
  /** change of stored value, fen */
  balance: number
  /** change of growth value */
  growth: number
  /** change of locked points (待入账): counted apart from the balance, not spendable (backend/loyalty/locks.ts) */
  locked?: number
  requestId: string
  businessDay: string
  createdAt: Date
  description: string
  /** may this entry's negative points become points owed when the member has too few? (refund clawbacks) */
  allowOwing?: boolean
  /** for clawbacks: the year whose earned points it takes back (points expire by the year earned) */
  lotYear?: number
  storeId?: string | null
  staffId?: string | null
  /** the entry this one reverses (refunds) */
  reverses?: string | null
  /** purchase and top-up details, shown on receipts and counter logs */
  detail?: Record<string, unknown>
}
