/**
 * Who may call an action. Every action of the contract declares a set of roles next to its input
 * schema (`action(MEMBER, z.object(…))`); the router (backend/handler.ts) admits a caller who
 * holds any role of the set, before it validates the input or runs the handler. A new role (a
 * region manager, head office) is one more name here and in the sets of the actions it may call.
 */
import type { z } from 'zod'

/** Roles held by a row in the `staff` collection (`staff.role`). */
export const STAFF_ROLES = ['clerk', 'manager', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export const ROLES = [
  /** any WeChat user, member or not */
  'wechat',
  /**
   * a WeChat user acting as a member. The router checks only that WeChat names a user; membership
   * itself is checked where the handler loads the member (NOT_FOUND otherwise), so hot paths keep
   * their database-call budgets.
   */
  'member',
  /** staff rows: a store clerk, a store manager, a head-office admin */
  ...STAFF_ROLES,
  /** no WeChat user in the context: the CloudBase console, a timer, a server-to-server call */
  'console',
] as const
export type Role = (typeof ROLES)[number]

/** A non-empty set of roles, any of which admits the caller. */
export type RoleSet = readonly [Role, ...Role[]]

/** Anyone at all, with or without a WeChat user (public facts: the brand's stores, a channel's name). */
export const ANYONE = ['wechat', 'console'] as const satisfies RoleSet
/** Any WeChat user, member or not (browsing the mall, a share card, joining). */
export const IN_WECHAT = ['wechat'] as const satisfies RoleSet
/** A member acting for themself. */
export const MEMBER = ['member'] as const satisfies RoleSet
/** The counter: store clerks, store managers, and head-office admins. */
export const COUNTER = ['clerk', 'manager', 'admin'] as const satisfies RoleSet
/** Store managers and head-office admins. */
export const STORE_MANAGER = ['manager', 'admin'] as const satisfies RoleSet
/** Head office: the console and timers (no WeChat user), or a staff member with the admin role. */
export const HEAD_OFFICE = ['console', 'admin'] as const satisfies RoleSet

/** One action of the contract: who may call it and the schema of its input. */
export interface ActionSpec<S extends z.ZodTypeAny = z.ZodTypeAny, R extends RoleSet = RoleSet> {
  readonly roles: R
  readonly input: S
}

export function action<const R extends RoleSet, S extends z.ZodTypeAny>(roles: R, input: S): ActionSpec<S, R> {
  return { roles, input }
}

/** What the router knows of a caller: whether WeChat names a user, and the staff role found for them (if it looked). */
export interface CallerRoles {
  wechat: boolean
  staffRole: StaffRole | null
}

const WECHAT_ROLES: readonly Role[] = ['wechat', 'member']

function isStaffRole(role: Role): role is StaffRole {
  return (STAFF_ROLES as readonly Role[]).includes(role)
}

/**
 * A WeChat caller is looked up in `staff` only when the set has a staff role and no role that
 * every WeChat user holds: member and public actions cost no extra database call.
 */
export function needsStaffLookup(roles: readonly Role[]): boolean {
  return roles.some(isStaffRole) && !roles.some((role) => WECHAT_ROLES.includes(role))
}

/** Whether the set admits the caller. */
export function admits(roles: readonly Role[], caller: CallerRoles): boolean {
  if (!caller.wechat) return roles.includes('console')
  if (roles.some((role) => WECHAT_ROLES.includes(role))) return true
  return caller.staffRole !== null && roles.includes(caller.staffRole)
}
