import { callFunction, retryOnNetwork } from './call'

export const staffService = {
  /** Succeeds only for staff (clerk or manager). */
  me: () => retryOnNetwork(() => callFunction('staff', 'me', {})),
  verifyMemberCode: (code: string) => retryOnNetwork(() => callFunction('staff', 'verifyMemberCode', { code })),
  channelMembers: (limit = 50) => retryOnNetwork(() => callFunction('staff', 'channelMembers', { limit })),
}
