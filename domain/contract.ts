/**
 * The one contract between the mini-program and the cloud functions.
 * Input schemas (zod) are checked by the functions; result types are what pages receive.
 *
 * Call shape: callFunction({ name, data: { action, input } })
 * Answer:     { ok: true, data } | { ok: false, error: { code, message, fields? } }
 */
import { z } from 'zod'
import type { AppErrorShape } from './errors'
import type { EntryKind } from './ledger'

/** A client-generated id that makes a mutating call safe to retry. */
export const requestIdSchema = z
  .string()
  .min(8, 'requestId must be at least 8 characters')
  .max(64, 'requestId must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'requestId may contain only letters, digits, _ and -')

/** WeChat passes at most 32 visible characters of `scene`; ours are short channel ids. */
export const sceneSchema = z
  .string()
  .min(1)
  .max(32, 'scene must be at most 32 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'scene may contain only letters, digits, _ and -')

const empty = z.object({}).strict()

export const memberActions = {
  join: z.object({ scene: sceneSchema.optional(), nickname: z.string().trim().min(1).max(32).optional() }).strict(),
  profile: empty,
  card: empty,
} as const

export const loyaltyActions = {
  checkin: z.object({ requestId: requestIdSchema }).strict(),
  status: empty,
  ledger: z
    .object({
      limit: z.number().int().min(1).max(50).default(20),
      /** page by createdAt: entries strictly older than this instant (ms) */
      before: z.number().int().positive().optional(),
    })
    .strict(),
} as const

export const staffActions = {
  me: empty,
  verifyMemberCode: z.object({ code: z.string().min(10).max(128) }).strict(),
  channelMembers: z.object({ limit: z.number().int().min(1).max(100).default(50) }).strict(),
} as const

export const contract = {
  member: memberActions,
  loyalty: loyaltyActions,
  staff: staffActions,
} as const

export type FunctionName = keyof typeof contract
export type ActionName<F extends FunctionName> = keyof (typeof contract)[F] & string
type SchemaOf<F extends FunctionName, A extends ActionName<F>> = (typeof contract)[F][A] extends z.ZodTypeAny
  ? (typeof contract)[F][A]
  : never
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<SchemaOf<F, A>>
export type ParsedInput<F extends FunctionName, A extends ActionName<F>> = z.output<SchemaOf<F, A>>

// ---------- results ----------

export interface TierView {
  id: string
  name: string
  /** growth needed for the next tier; null at the top tier */
  nextTierName: string | null
  growthToNext: number | null
}

export interface MemberView {
  memberId: string
  memberNo: string
  nickname: string
  tier: TierView
  points: number
  /** stored value in fen (integer) */
  balance: number
  growth: number
  /** ISO instant */
  joinedAt: string
  channel: { id: string; name: string } | null
  status: 'active' | 'frozen' | 'lost'
}

export interface LedgerEntryView {
  id: string
  source: EntryKind
  /** signed change: points in the points ledger, fen in the stored-value ledger */
  change: number
  balanceAfter: number
  /** ISO instant */
  createdAt: string
  /** business day in the brand's time zone, YYYY-MM-DD */
  businessDay: string
  description: string
}

export interface StaffView {
  staffId: string
  name: string
  role: 'clerk' | 'manager'
  storeId: string
  storeName: string
  channelId: string | null
}

export interface ChannelMemberView {
  memberNo: string
  nickname: string
  joinedAt: string
}

export interface ActionResults {
  member: {
    join: { member: MemberView; created: boolean }
    profile: { member: MemberView }
    card: { member: MemberView; code: string; expiresAt: number; refreshAfterMs: number }
  }
  loyalty: {
    checkin: { entry: LedgerEntryView; points: number }
    status: { businessDay: string; checkedInToday: boolean; points: number; checkinPoints: number }
    ledger: { entries: LedgerEntryView[]; nextBefore: number | null }
  }
  staff: {
    me: { staff: StaffView }
    /** the phone number, when present, is masked */
    verifyMemberCode: { member: MemberView; maskedPhone: string | null }
    channelMembers: { channel: { id: string; name: string }; total: number; members: ChannelMemberView[] }
  }
}

export type ActionResult<F extends FunctionName, A extends ActionName<F>> = A extends keyof ActionResults[F]
  ? ActionResults[F][A]
  : never

export type CallAnswer<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape }

/** The event a function receives. */
export interface FunctionEvent {
  action: string
  input?: unknown
}
