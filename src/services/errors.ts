import type { ErrorCode, FieldIssue } from '@domain/shared/errors'
import { CLIENT_REASONS, type ClientReason, type ServiceErrorCode, type ShownReason } from './client-reasons'
import { REASON_COPY } from './reason-copy'

export { CLIENT_REASONS, type ClientReason, type ServiceErrorCode, type ShownReason } from './client-reasons'

/**
 * What every service call throws: the code and the stable reason a page can branch on, the
 * fields of a bad input, and for INTERNAL the short reference (the invocation's request id)
 * people can quote. `message` is for logs only: pages show describeError(error), never it.
 */
export class ServiceError extends Error {
  readonly code: ServiceErrorCode
  /** a server reason (domain/reasons.ts) or a ClientReason; a newer server may send one this app does not know */
  readonly reason: string
  readonly fields?: FieldIssue[]
  readonly reference?: string

  constructor(code: ServiceErrorCode, reason: string, message: string, options: { fields?: FieldIssue[]; reference?: string } = {}) {
    super(message)
    this.name = 'ServiceError'
    this.code = code
    this.reason = reason
    this.fields = options.fields
    this.reference = options.reference
  }
}

/** A failure the client found itself (no function answered): the code comes from CLIENT_REASONS. */
export function clientError(reason: ClientReason, detail: string): ServiceError {
  return new ServiceError(CLIENT_REASONS[reason], reason, detail)
}

/** An INTERNAL answer's message is the invocation's request id and nothing else. */
const REFERENCE = /^[A-Za-z0-9_.:-]{1,64}$/

/** The ServiceError for a function's `{ ok: false, error }` answer. */
export function answerError(error: { code: ErrorCode; reason?: string; message?: string; fields?: FieldIssue[] }): ServiceError {
  const message = typeof error.message === 'string' ? error.message : ''
  const reference = error.code === 'INTERNAL' && REFERENCE.test(message) ? message : undefined
  return new ServiceError(error.code, typeof error.reason === 'string' ? error.reason : '', message, { fields: error.fields, reference })
}

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError
}

/**
 * Whether trying the same call again can succeed: a lost connection, contention or an unexpected
 * failure can; a refusal (a rule, a state, bad input, no right) cannot, so it offers no 重试.
 */
export function canRetry(error: unknown): boolean {
  if (!isServiceError(error)) return true
  return error.code === 'NETWORK' || error.code === 'ABORTED' || error.code === 'INTERNAL'
}

/** True when the call failed with exactly this code. */
export function hasCode(value: unknown, code: ServiceErrorCode): boolean {
  return isServiceError(value) && value.code === code
}

/** True when the call failed for exactly this reason. */
export function hasReason(value: unknown, reason: ShownReason): boolean {
  return isServiceError(value) && value.reason === reason
}

/** For a reason this build does not know (a newer server): a line for its code. */
const CODE_COPY: Record<ServiceErrorCode, string> = {
  NETWORK: REASON_COPY.NETWORK,
  UNAUTHENTICATED: '登录状态已失效，请重新进入',
  PERMISSION_DENIED: '没有权限进行此操作',
  NOT_FOUND: '没有找到相关信息',
  FAILED_PRECONDITION: '当前状态不支持此操作',
  ALREADY_EXISTS: '已经处理过了',
  ABORTED: REASON_COPY.BUSY,
  INVALID_ARGUMENT: REASON_COPY.INVALID_INPUT,
  INTERNAL: REASON_COPY.INTERNAL,
}

/** The copy for a reason, own keys only (a reason from the wire such as `constructor` has none). */
export function reasonCopy(reason: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(REASON_COPY, reason) ? REASON_COPY[reason as ShownReason] : undefined
}

/**
 * The line people see for a failure: the app's copy for its reason, else for its code. Never a
 * code, a server message or a transport message.
 */
export function describeError(error: unknown): string {
  if (isServiceError(error)) return reasonCopy(error.reason) ?? CODE_COPY[error.code] ?? REASON_COPY.INTERNAL
  return REASON_COPY.INTERNAL
}

/** A small caption under the line: only the reference of an INTERNAL failure, for people to quote; otherwise empty. */
export function errorDetail(error: unknown): string {
  return isServiceError(error) && error.reference ? `参考编号 ${error.reference}` : ''
}
