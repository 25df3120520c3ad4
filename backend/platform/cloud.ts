/**
 * The one place that talks to CloudBase: the real @cloudbase/node-sdk, configured from the
 * function's environment. In the cloud that is CloudBase itself; locally the emulator sets
 * TCB_CONTEXT_CNFG so the same code reaches it.
 */
import tcb from '@cloudbase/node-sdk'

export type CloudApp = ReturnType<typeof tcb.init>
export type Database = ReturnType<CloudApp['database']>

let app: CloudApp | undefined

export function cloudApp(): CloudApp {
  if (!app) app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV })
  return app
}

export function database(): Database {
  return cloudApp().database()
}

export interface Caller {
  /** empty for console, timer and server-to-server calls */
  openid: string
  appid: string
  unionid: string
}

/** Identity comes from the WeChat context of this invocation, never from the request body. */
export function currentCaller(): Caller {
  const info = cloudApp().auth().getUserInfo()
  const context = tcb.getCloudbaseContext() as unknown as Record<string, string | undefined>
  return { openid: info.openId ?? '', appid: info.appId ?? '', unionid: context.WX_UNIONID ?? '' }
}

/** The parts of `main`'s second argument (CloudBase's invocation context) this code reads. */
export interface InvocationContext {
  request_id?: string
  time_limit_in_ms?: number
}

/**
 * The invocation's own request id, the one CloudBase's function logs show: `context.request_id`,
 * else TCB_SEQID from the SDK's view of the invocation's environment.
 */
export function invocationRequestId(context?: InvocationContext): string {
  if (typeof context?.request_id === 'string' && context.request_id) return context.request_id
  const seq = (tcb.getCloudbaseContext() as unknown as Record<string, unknown>).TCB_SEQID
  return typeof seq === 'string' && seq ? seq : 'unknown'
}

export function isDuplicateKey(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? '')
  return /E11000|duplicate key/i.test(message)
}
