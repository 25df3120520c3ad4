/**
 * Facts that other contexts follow (ARCHITECTURE "Facts and their followers"). A fact is recorded
 * once, in the same write as the fact itself, under an id derived from its cause, and delivered
 * at least once to each follower; followers are idempotent. This module is the vocabulary: the
 * fact types, what each carries, their ids and the retry schedule. The outbox that carries and
 * delivers them is backend/platform/events.ts.
 */

export const FACT_TYPES = ['joined', 'purchased', 'refunded', 'order_paid', 'order_refunded', 'coupon_claimed', 'group_joined', 'scene_opened'] as const
export type FactType = (typeof FACT_TYPES)[number]

export interface FactData {
  /** inviterId / inviter2Id: the invitation fixed at joining (domain/social/binding.ts); ownerStaffId: the clerk who owns the member */
  joined: {
    memberId: string
    channelId: string | null
    referrerStaffId: string | null
    businessDay: string
    inviterId?: string | null
    inviter2Id?: string | null
    shareCode?: string | null
    ownerStaffId?: string | null
  }
  /** a counter purchase (门店消费); amounts in fen */
  purchased: { memberId: string; entryId: string; storeId: string; staffId: string; payable: number; points: number; businessDay: string }
  /** a counter refund of a purchase */
  refunded: { memberId: string; entryId: string; purchaseId: string; storeId: string; staffId: string; payable: number; businessDay: string }
  order_paid: { memberId: string; orderId: string; kind: string; amount: number; points: number; payMethod: string }
  order_refunded: { memberId: string; orderId: string; kind: string; amount: number; points: number }
  coupon_claimed: { memberId: string; couponId: string; templateId: string; source: string; sharerMemberId: string | null }
  group_joined: { memberId: string; groupId: string; orderId: string; leader: boolean }
  /** a share or channel code opened (once per opener and code); `bound`: the opener is now bound to the sharer */
  scene_opened: {
    openerId: string
    scene: string
    kind: 'channel' | 'share'
    code: string
    sharerId: string | null
    channelId: string | null
    target: { type: string; id?: string } | null
    bound: boolean
    member: boolean
    businessDay: string
  }
}

export interface Fact<T extends FactType = FactType> {
  /** `<type>:<cause>`: the same cause always names the same fact */
  _id: string
  type: T
  at: Date
  data: FactData[T]
}

export type AnyFact = { [T in FactType]: Fact<T> }[FactType]

/**
 * `<type>:<cause>`. A fact id is also a field name in the document that carries it, so any
 * character but letters, digits and `:_#-` is written as `~<hex code>` (no dot, no `$`).
 */
export function factId(type: FactType, cause: string): string {
  if (cause.length === 0) throw new Error('a fact needs a cause')
  return `${type}:${cause.replace(/[^A-Za-z0-9:_#-]/gu, (char) => `~${(char.codePointAt(0) ?? 0).toString(16)}`)}`
}

export function fact<T extends FactType>(type: T, cause: string, at: Date, data: FactData[T]): Fact<T> {
  return { _id: factId(type, cause), type, at, data }
}

/** Deliveries tried before a follower's fact is parked for an operator (about two days of retries). */
export const MAX_DELIVERY_ATTEMPTS = 16

/** The wait before the n-th retry (n ≥ 1) of a follower that failed: 1 min doubling, at most 6 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(6 * 3_600_000, 60_000 * 2 ** Math.max(0, attempt - 1))
}
