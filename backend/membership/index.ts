/** The membership context's persistence and orchestration as other contexts and the entry points use them. */
export { changeCardStatus } from './card-services'
export { channelMembers } from './channel-members'
export { type MemberHandlers } from './handlers'
export { addMember, findChannel, findMember, findMemberByNo, memberView, nextMemberNo, notAMember } from './members'
export { phoneNumberFromCode } from './phone'
export { ownMember, profileHandlers } from './profile'
export { staffResultsFollower, todayResults } from './staff-results'
export { storeName, stores } from './stores'
