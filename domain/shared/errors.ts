import { ERROR_CODES, type ErrorCode } from './error-codes'
import { codeOf, REASONS, type Reason } from './reasons'

export { ERROR_CODES, type ErrorCode }
export type { Reason } from './reasons'

export interface FieldIssue {
  path: string
  message: string
}

/** An answer's error: the code from the closed list, the stable reason (domain/reasons.ts), a message for logs. */
export interface AppErrorShape {
  code: ErrorCode
  reason: Reason
  message: string
  fields?: FieldIssue[]
}

/**
 * The one error of the functions: `new AppError('SOLD_OUT', '已抢光')`. The code comes from the
 * reason's catalogue entry; the message (Chinese, for logs, the console and order histories)
 * defaults to the reason's meaning. The app shows its own copy for the reason, not the message.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly reason: Reason
  readonly fields?: FieldIssue[]

  constructor(reason: Reason, message?: string, fields?: FieldIssue[]) {
    super(message ?? REASONS[reason].meaning)
    this.name = 'AppError'
    this.reason = reason
    this.code = codeOf(reason)
    this.fields = fields
  }

  toJSON(): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, reason: this.reason, message: this.message }
    return this.fields ? { ...shape, fields: this.fields } : shape
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}

/** True when `value` is an AppError with exactly this reason. */
export function hasReason(value: unknown, reason: Reason): boolean {
  return value instanceof AppError && value.reason === reason
}
