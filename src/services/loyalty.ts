import { callFunction, newRequestId, retryOnNetwork } from './call'

export const LEDGER_PAGE_SIZE = 20

const page = (before?: number) => (before ? { limit: LEDGER_PAGE_SIZE, before } : { limit: LEDGER_PAGE_SIZE })

export const loyaltyService = {
  /** One id per tap: pass the same requestId for automatic retries so the check-in is applied once. */
  newCheckinRequestId: () => newRequestId('checkin'),
  checkin: (requestId: string) => retryOnNetwork(() => callFunction('loyalty', 'checkin', { requestId })),
  status: () => retryOnNetwork(() => callFunction('loyalty', 'status', {})),
  /** `before` is the previous page's `nextBefore`. */
  ledger: (before?: number) => retryOnNetwork(() => callFunction('loyalty', 'ledger', page(before))),
  /** 储值明细: the stored-value ledger (changes in fen) and the current balance. */
  balanceLedger: (before?: number) => retryOnNetwork(() => callFunction('loyalty', 'balanceLedger', page(before))),
  tierHistory: () => retryOnNetwork(() => callFunction('loyalty', 'tierHistory', {})),
  tierGuide: () => retryOnNetwork(() => callFunction('loyalty', 'tierGuide', {})),
}
