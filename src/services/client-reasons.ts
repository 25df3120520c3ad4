/** The client's own reasons and the codes it shows (kept apart from errors.ts so reason-copy.ts can use them without a cycle). */
import type { ErrorCode, Reason } from '@domain/shared/errors'

/** The server's closed list of codes, plus NETWORK for a transport that never got an answer. */
export type ServiceErrorCode = ErrorCode | 'NETWORK'

/**
 * Reasons the client gives itself, with their code, for failures that never reached a function
 * (the server's own reasons are in domain/reasons.ts). docs/errors.md lists these too.
 */
export const CLIENT_REASONS = {
  /** the transport got no answer (offline, timeout, the platform's callFunction failed) */
  NETWORK: 'NETWORK',
  /** the wallet went through, but the server's word on the payment did not come in time */
  PAYMENT_UNCONFIRMED: 'NETWORK',
  /** H5 demo build: no demo persona chosen yet */
  LOGIN_REQUIRED: 'UNAUTHENTICATED',
  /** H5 demo build: the demo session expired (HTTP 401) */
  SESSION_EXPIRED: 'UNAUTHENTICATED',
  /** H5 demo build: the local gateway answered an HTTP error */
  GATEWAY_FAILED: 'INTERNAL',
  /** something came back that is not a function's answer */
  BAD_ANSWER: 'INTERNAL',
  /** a build for a platform with no transport or wallet */
  UNSUPPORTED_PLATFORM: 'INTERNAL',
} as const satisfies Record<string, ServiceErrorCode>

export type ClientReason = keyof typeof CLIENT_REASONS

/** Every reason the app has copy for: the server's catalogue and the client's own. */
export type ShownReason = Reason | ClientReason
