/**
 * Every cloud function is a thin router of typed actions built with `defineFunction`:
 * admit the caller by the roles the contract declares for the action, validate the input with
 * the shared schema, take identity from the WeChat context, run the action, and answer
 * `{ ok: true, data }` or `{ ok: false, error: { code, reason, message, fields? } }`.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { AppError, type AppErrorShape } from '../../domain/shared/errors'
import {
  admits,
  contract,
  needsStaffLookup,
  STAFF_ROLES,
  type ActionName,
  type ActionResult,
  type ActionRoles,
  type ActionSpec,
  type CallAnswer,
  type FunctionEvent,
  type FunctionName,
  type ParsedInput,
  type Role,
  type RoleSet,
  type StaffRole,
} from '../../domain/contract'
import { businessNow } from './clock'
import { currentCaller, invocationRequestId, type Caller, type InvocationContext } from './cloud'
import { findStaff, type StaffRecord } from './staff'

export interface ActionContext<S extends StaffRecord | null = StaffRecord | null> {
  caller: Caller
  now: Date
  /**
   * The caller's staff record, looked up once by the router when the action admits staff roles
   * only (or head office): a clerk action always has one, an admin action has one unless the
   * console called, member and public actions have none (null).
   */
  staff: S
}

/** The staff record an action's handler receives, from the roles it declares. */
export type StaffFor<R extends RoleSet> = [Extract<R[number], StaffRole>] extends [never]
  ? null
  : [Exclude<R[number], StaffRole>] extends [never]
    ? StaffRecord & { role: Extract<R[number], StaffRole> }
    : (StaffRecord & { role: Extract<R[number], StaffRole> }) | null

export type ActionContextOf<F extends FunctionName, A extends ActionName<F>> = ActionContext<StaffFor<ActionRoles<F, A>>>

/** One action's handler, typed from the contract: its parsed input, its context, and the contract's result type. */
export type ActionHandler<F extends FunctionName, A extends ActionName<F>> = (input: ParsedInput<F, A>, context: ActionContextOf<F, A>) => Promise<ActionResult<F, A>>

export type Handlers<F extends FunctionName> = { [A in ActionName<F>]: ActionHandler<F, A> }

/**
 * Events that are not `{ action, input }` calls from the mini-program: WeChat Pay's payment
 * notifications, timer triggers. The handler returns undefined when it does not recognise one.
 */
export type PlatformEventHandler = (event: Record<string, unknown>, context: ActionContext<null>) => Promise<unknown> | undefined

/** Why a WeChat caller was refused, from what the action asks for. */
function refusal(roles: readonly Role[]): AppError {
  if (roles.includes('clerk')) return new AppError('NOT_STAFF', '仅限门店店员使用')
  if (roles.includes('manager')) return new AppError('MANAGER_ONLY', '仅限店长操作')
  if (roles.includes('admin')) return new AppError('ADMIN_ONLY', '仅限总部管理员使用')
  return new AppError('CONSOLE_ONLY', '仅限控制台或定时任务调用')
}

/**
 * Admits the caller by the action's roles, before its input is read: no WeChat user where one is
 * needed is UNAUTHENTICATED, the wrong role PERMISSION_DENIED. Looks the caller up in `staff` at
 * most once, and only for actions that admit staff roles and no WeChat user as such.
 */
async function admit(roles: RoleSet, caller: Caller): Promise<StaffRecord | null> {
  const staff = caller.openid && needsStaffLookup(roles) ? await findStaff(caller.openid) : null
  // A row whose role this code does not know (yet) holds no staff role.
  const staffRole = staff && (STAFF_ROLES as readonly string[]).includes(staff.role) ? staff.role : null
  if (admits(roles, { wechat: Boolean(caller.openid), staffRole })) return staffRole ? staff : null
  if (!caller.openid) throw new AppError('WECHAT_USER_REQUIRED', '请在微信中打开小程序')
  throw refusal(roles)
}

/** A function of the contract: every action its contract declares has a handler returning the contract's result. */
export function defineFunction<F extends FunctionName>(name: F, handlers: Handlers<F>, platformEvents?: PlatformEventHandler) {
  return route(name, contract[name] as Record<string, ActionSpec>, handlers as unknown as Record<string, RawHandler>, platformEvents)
}

/** A function with no actions of its own (the timers' `jobs`): only platform events; any action is unknown. */
export function definePlatformFunction(name: string, platformEvents: PlatformEventHandler) {
  return route(name, {}, {}, platformEvents)
}

type RawHandler = (input: unknown, context: ActionContext) => Promise<unknown>

function route(name: string, specs: Record<string, ActionSpec>, handlers: Record<string, RawHandler>, platformEvents?: PlatformEventHandler) {
  return async function main(event: FunctionEvent | undefined, context?: InvocationContext): Promise<unknown> {
    return invocation.run(invocationRequestId(context), () => answer(event))
  }

  async function answer(event: FunctionEvent | undefined): Promise<unknown> {
    if (platformEvents && event && typeof event === 'object' && !('action' in event)) {
      const handled = platformEvents(event as unknown as Record<string, unknown>, { caller: currentCaller(), now: businessNow(), staff: null })
      if (handled) return handled
    }
    return runAction(event)
  }

  async function runAction(event: FunctionEvent | undefined): Promise<CallAnswer<unknown>> {
    const now = businessNow()
    // Every answer tells the server's time, so the app counts down from it, not from the phone's.
    const serverTime = now.getTime()
    try {
      const action = event?.action
      if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(specs, action)) {
        throw new AppError('UNKNOWN_ACTION', `unknown action ${String(action)} for function ${name}`, [{ path: 'action', message: `must be one of ${Object.keys(specs).join(', ')}` }])
      }
      const caller = currentCaller()
      const staff = await admit(specs[action].roles, caller)
      const parsed = specs[action].input.safeParse(event?.input ?? {})
      if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(input)', message: issue.message }))
        throw new AppError('INVALID_INPUT', `invalid input for ${name}.${action}: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`, fields)
      }
      const data = await handlers[action](parsed.data, { caller, now, staff })
      return { ok: true, data, serverTime }
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toJSON(), serverTime }
      return { ok: false, error: internalError(name, error), serverTime }
    }
  }
}

/** The request id of the invocation in hand (see invocationRequestId). */
const invocation = new AsyncLocalStorage<string>()

/**
 * An unexpected failure: logged with the invocation's own request id (the one CloudBase's logs
 * show), and answered with that id as the only message, for people to quote. Nothing of the
 * failure itself reaches the caller.
 */
export function internalError(name: string, error: unknown): AppErrorShape {
  const requestId = invocation.getStore() ?? invocationRequestId()
  console.error(`[${name}] INTERNAL ${requestId}`, error)
  return { code: 'INTERNAL', reason: 'INTERNAL', message: requestId }
}

/** The caller's openid; the router already refused a call without a WeChat user for an action that needs one. */
export function requireMember(caller: Caller): string {
  if (!caller.openid) throw new AppError('WECHAT_USER_REQUIRED', '请在微信中打开小程序')
  return caller.openid
}
