import type { ErrorCode, FieldIssue } from '@domain/errors'

/** The server's closed list of codes, plus NETWORK for a transport that never got an answer. */
export type ServiceErrorCode = ErrorCode | 'NETWORK'

/** What every service call throws: a typed code the page can branch on, and a message. */
export class ServiceError extends Error {
  readonly code: ServiceErrorCode
  readonly fields?: FieldIssue[]

  constructor(code: ServiceErrorCode, message: string, fields?: FieldIssue[]) {
    super(message)
    this.name = 'ServiceError'
    this.code = code
    this.fields = fields
  }
}

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError
}

/** True when the call failed with exactly this code. */
export function hasCode(value: unknown, code: ServiceErrorCode): boolean {
  return isServiceError(value) && value.code === code
}

const FRIENDLY: Record<ServiceErrorCode, string> = {
  NETWORK: '网络开小差了，请检查网络后重试',
  UNAUTHENTICATED: '登录状态已失效，请重新进入',
  PERMISSION_DENIED: '没有权限进行此操作',
  NOT_FOUND: '没有找到相关信息',
  FAILED_PRECONDITION: '当前状态不支持此操作',
  ALREADY_EXISTS: '已经处理过了',
  ABORTED: '操作繁忙，请稍后重试',
  INVALID_ARGUMENT: '填写的信息有误，请检查后重试',
  INTERNAL: '服务暂时不可用，请稍后重试',
}

const HAS_CJK = /[\u4e00-\u9fff]/

/**
 * A message fit for the screen. Server messages written in Chinese are shown as they are
 * (they are specific); English/technical ones fall back to a friendly line for the code.
 */
export function describeError(error: unknown): string {
  if (isServiceError(error)) {
    if (error.code !== 'INTERNAL' && error.code !== 'NETWORK' && HAS_CJK.test(error.message)) return error.message
    return FRIENDLY[error.code]
  }
  return FRIENDLY.INTERNAL
}

/** Technical detail for a small caption under the friendly message: the code, plus the raw message unless it is already shown. */
export function errorDetail(error: unknown): string {
  if (isServiceError(error)) {
    const shown = describeError(error) === error.message
    return shown || !error.message ? error.code : `${error.code} · ${error.message}`
  }
  if (error instanceof Error) return error.message
  return String(error)
}
