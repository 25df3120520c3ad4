/**
 * Who brought whom (邀请关系). Opening a share binds the opener to its sharer under the brand's bind
 * mode; the binding decides who is credited for the opener's *later* outcomes, and moving it never
 * moves credit already given. Joining fixes the invitation for ever: the sharer bound at that
 * moment is the inviter, and the inviter's own inviter is level 2 (rewards and KOL depth stop
 * there). Invitations always point from an older member to a newer one, so they form a forest.
 */
import { z } from 'zod'

export const BIND_MODES = ['firstTouch', 'firstTouchForDays', 'lastTouch'] as const
export type BindMode = (typeof BIND_MODES)[number]

export const bindingRulesSchema = z
  .object({
    /** firstTouch: the first sharer for ever; firstTouchForDays: the first for `days`, then the next one may take over; lastTouch: every new sharer takes over */
    mode: z.enum(BIND_MODES).default('firstTouchForDays'),
    days: z.number().int().min(1).max(3650).default(30),
    /** bind only people who are not members yet */
    newcomersOnly: z.boolean().default(false),
  })
  .strict()
export type BindingRules = z.infer<typeof bindingRulesSchema>

/** The sharer a person is bound to, with what the join needs of the sharer copied at binding time. */
export interface Binding {
  sharerId: string
  shareCode: string
  at: Date
  /** the sharer's own inviter: the joiner's level 2 */
  sharerInviterId: string | null
  /** the clerk who owns the sharer (the inviter's owner may own the friend) */
  sharerOwnerStaffId: string | null
}

/**
 * A WeChat user as the social context knows them (`people`, `_id` = the member id their openid
 * gives, member or not yet): the binding, the first scene that brought them, and, once they have
 * joined, their invitation.
 */
export interface PersonRecord {
  _id: string
  boundTo: Binding | null
  /** the first channel or share scene that led here; the joining channel comes from it */
  firstScene: { scene: string; at: Date } | null
  memberAt: Date | null
  invitedBy: string | null
  ownerStaffId: string | null
  /** the member's first two purchases (purchaseOf's ref), in the order they were counted: 首单, 复购 */
  purchases?: string[]
  /** version: every write is conditional on it */
  seq: number
  updatedAt: Date
}

export type BindRefusal = 'self' | 'loop' | 'same-sharer' | 'already-bound' | 'member'

export interface BindQuestion {
  openerId: string
  opener: PersonRecord | null
  openerIsMember: boolean
  sharerId: string
  sharer: PersonRecord | null
  now: Date
  rules: BindingRules
}

export type BindDecision = { bind: true } | { bind: false; reason: BindRefusal }

const DAY_MS = 86_400_000

/** Whether opening the sharer's share binds the opener to the sharer, and if not, why. */
export function bindDecision({ openerId, opener, openerIsMember, sharerId, sharer, now, rules }: BindQuestion): BindDecision {
  if (openerId === sharerId) return { bind: false, reason: 'self' }
  if (sharer?.boundTo?.sharerId === openerId || sharer?.invitedBy === openerId) return { bind: false, reason: 'loop' }
  const current = opener?.boundTo ?? null
  if (current?.sharerId === sharerId) return { bind: false, reason: 'same-sharer' }
  if (rules.newcomersOnly && openerIsMember) return { bind: false, reason: 'member' }
  if (!current || rules.mode === 'lastTouch') return { bind: true }
  if (rules.mode === 'firstTouchForDays' && now.getTime() >= new Date(current.at).getTime() + rules.days * DAY_MS) return { bind: true }
  return { bind: false, reason: 'already-bound' }
}

export interface Invitation {
  inviterId: string
  /** level 2: the inviter's inviter */
  inviter2Id: string | null
  shareCode: string
  /** the clerk who owned the inviter when the friend was bound */
  inviterOwnerStaffId: string | null
}

/** The invitation a join fixes: the sharer bound at that moment, if any. */
export function invitationAtJoin(person: PersonRecord | null, joinerId: string): Invitation | null {
  const bound = person?.boundTo
  if (!bound || bound.sharerId === joinerId) return null
  return { inviterId: bound.sharerId, inviter2Id: bound.sharerInviterId === joinerId ? null : bound.sharerInviterId, shareCode: bound.shareCode, inviterOwnerStaffId: bound.sharerOwnerStaffId }
}

/** The joining scene: the first scene that led to the join (a later open never changes it), else the one the join page was opened with. */
export function joiningScene(person: PersonRecord | null, joinPageScene: string | null): string | null {
  return person?.firstScene?.scene ?? joinPageScene
}
