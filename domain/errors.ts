/** The closed list of error codes every function may return. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'FAILED_PRECONDITION',
  'ALREADY_EXISTS',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface FieldIssue {
  path: string
  message: string
}

export interface AppErrorShape {
  code: ErrorCode
  message: string
  fields?: FieldIssue[]
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields?: FieldIssue[]

  constructor(code: ErrorCode, message: string, fields?: FieldIssue[]) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.fields = fields
  }

  toJSON(): AppErrorShape {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message }
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}
