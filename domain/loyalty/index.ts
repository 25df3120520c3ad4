/** The loyalty context's pure rules as other contexts and the entry points use them. */
export { type LoyaltyMember } from './earning'
export { expiringAt, latestCutoffYear, yearOf } from './expiry'
export { assertEntryId } from './ledger'
export { JOIN_DESCRIPTION, checkinEntryId, joinEntryId, toLedgerEntryView, withBalances } from './loyalty'
export { tierGuide } from './tiers'
