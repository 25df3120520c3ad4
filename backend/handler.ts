/**
 * Every cloud function is a thin router of typed actions built with `defineFunction`:
 * validate the input with the shared schema, take identity from the WeChat context,
 * run the action, and answer `{ ok: true, data }` or `{ ok: false, error: { code, reason, message, fields? } }`.
 */
import type { z } from 'zod'
import { AsyncLocalStorage } from 'node:async_hooks'
import { AppError, type AppErrorShape } from '../domain/errors'
import type { CallAnswer, FunctionEvent } from '../domain/contract'
import { businessNow } from './clock'
import { currentCaller, invocationRequestId, type Caller, type InvocationContext } from './cloud'

export interface ActionContext {
  caller: Caller
  now: Date
}

type ActionMap = Record<string, z.ZodTypeAny>
type Handlers<S extends ActionMap> = { [A in keyof S]: (input: z.output<S[A]>, context: ActionContext) => Promise<unknown> }

/**
 * Events that are not `{ action, input }` calls from the mini-program: WeChat Pay's payment
 * notifications, timer triggers. The handler returns undefined when it does not recognise one.
 */
export type PlatformEventHandler = (event: Record<string, unknown>, context: ActionContext) => Promise<unknown> | undefined

export function defineFunction<S extends ActionMap>(name: string, schemas: S, handlers: Handlers<S>, platformEvents?: PlatformEventHandler) {
  return async function main(event: FunctionEvent | undefined, context?: InvocationContext): Promise<unknown> {
    return invocation.run(invocationRequestId(context), () => answer(event))
  }

  async function answer(event: FunctionEvent | undefined): Promise<unknown> {
    if (platformEvents && event && typeof event === 'object' && !('action' in event)) {
      const handled = platformEvents(event as unknown as Record<string, unknown>, { caller: currentCaller(), now: businessNow() })
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
      if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(schemas, action)) {
        throw new AppError('UNKNOWN_ACTION', `unknown action ${String(action)} for function ${name}`, [
          { path: 'action', message: `must be one of ${Object.keys(schemas).join(', ')}` },
        ])
      }
      const parsed = schemas[action].safeParse(event?.input ?? {})
      if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(input)', message: issue.message }))
        throw new AppError('INVALID_INPUT', `invalid input for ${name}.${action}: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`, fields)
      }
      const data = await handlers[action](parsed.data, { caller: currentCaller(), now })
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

export function requireMember(caller: Caller): string {
  if (!caller.openid) throw new AppError('WECHAT_USER_REQUIRED', '请在微信中打开小程序')
  return caller.openid
}
