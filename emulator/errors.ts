/**
 * The one error type of the emulator core. `code` is an UPPER_SNAKE CloudBase error code
 * (INVALID_PARAM, DATABASE_REQUEST_FAILED, DATABASE_TRANSACTION_CONFLICT, …); the HTTP
 * adapter turns it into a 200 reply `{requestId, code, message}`, which the SDK throws as TcbError.
 */
export class EmulatorError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = 'EmulatorError'
    this.code = code
  }
}

/** Assert-style guard: throws `EmulatorError(code, message)` unless `condition` holds. */
export function assert(condition: unknown, code: string, message: string): asserts condition {
  if (!condition) throw new EmulatorError(code, message)
}
