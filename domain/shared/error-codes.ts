/**
 * The closed list of error codes every function may return. ABORTED is contention: nothing was
 * applied, and the same request (same requestId) may simply be sent again — the app's client
 * does so by itself a few times.
 */
export const ERROR_CODES = ['INVALID_ARGUMENT', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'NOT_FOUND', 'FAILED_PRECONDITION', 'ALREADY_EXISTS', 'ABORTED', 'INTERNAL'] as const

export type ErrorCode = (typeof ERROR_CODES)[number]
