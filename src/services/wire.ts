import type { CallAnswer, FunctionName } from '@domain/contract'
import { ERROR_CODES, type ErrorCode } from '@domain/shared/errors'
import type { ServiceErrorCode } from './errors'

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

/**
 * The code for a non-2xx HTTP answer (H5 only): the body's own code when it names one of ours;
 * otherwise a 502–504 without one is a gateway with nothing behind it (NETWORK), anything else INTERNAL.
 */
export function httpFailureCode(status: number, bodyCode: unknown): ServiceErrorCode {
  if (typeof bodyCode === 'string' && (ERROR_CODES as readonly string[]).includes(bodyCode)) return bodyCode as ErrorCode
  if (status === 401) return 'UNAUTHENTICATED'
  return status >= 502 && status <= 504 ? 'NETWORK' : 'INTERNAL'
}
