import type { CallAnswer, FunctionName } from '@domain/contract'

/** One call as it travels: `callFunction({ name, data: { action, input } })`. */
export interface WireCall {
  name: FunctionName
  action: string
  input: unknown
}

/**
 * A transport delivers one call and returns the function's answer, or throws a
 * ServiceError (NETWORK when nothing usable came back). Only `transport.*.ts` implement it.
 */
export type Transport = (call: WireCall) => Promise<CallAnswer<unknown>>

/** Answers come from outside the type system: check the envelope before trusting it. */
export function isCallAnswer(value: unknown): value is CallAnswer<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const answer = value as { ok?: unknown; error?: unknown }
  if (answer.ok === true) return 'data' in answer
  if (answer.ok === false) {
    const error = answer.error as { code?: unknown; message?: unknown } | undefined
    return typeof error === 'object' && error !== null && typeof error.code === 'string'
  }
  return false
}
