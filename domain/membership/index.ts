/** The membership context's pure rules as other contexts and the entry points use them. */
export { birthdaysOn } from './birthday'
export { inactiveCardError, type CardAction } from './card-status'
export { COUNTER_TOKEN_TTL_MS, issueCounterToken, readCounterToken } from './counter-token'
export { growthInYear, maskNickname, maskPhone, memberIdFor, newMemberRecord, type AddressRecord, type MemberRecord, type PointLock } from './member'
export { exportShape } from './profile'
