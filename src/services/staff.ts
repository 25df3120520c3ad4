import type { ActionInput } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'

/**
 * Counter actions carry the counterToken that verifyMemberCode returned, and a requestId
 * per intent (see intent.ts): a retry of the same submit sends the same id and is applied once.
 */
export const staffService = {
  /** Succeeds only for staff (clerk, manager or head office). */
  me: () => retryOnNetwork(() => callFunction('staff', 'me', {})),
  verifyMemberCode: (code: string) => retryOnNetwork(() => callFunction('staff', 'verifyMemberCode', { code })),
  channelMembers: (limit = 50) => retryOnNetwork(() => callFunction('staff', 'channelMembers', { limit })),
  recordPurchase: (input: ActionInput<'staff', 'recordPurchase'>) => retryOnNetwork(() => callFunction('staff', 'recordPurchase', input)),
  refundPurchase: (input: ActionInput<'staff', 'refundPurchase'>) => retryOnNetwork(() => callFunction('staff', 'refundPurchase', input)),
  topup: (input: ActionInput<'staff', 'topup'>) => retryOnNetwork(() => callFunction('staff', 'topup', input)),
  /** Managers only (the server checks the role). */
  adjustPoints: (input: ActionInput<'staff', 'adjustPoints'>) => retryOnNetwork(() => callFunction('staff', 'adjustPoints', input)),
  cardService: (input: ActionInput<'staff', 'cardService'>) => retryOnNetwork(() => callFunction('staff', 'cardService', input)),
  /** `day` YYYY-MM-DD; today when omitted. */
  counterLog: (day?: string) => retryOnNetwork(() => callFunction('staff', 'counterLog', day ? { day } : {})),
}
