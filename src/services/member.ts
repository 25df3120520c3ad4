import { callFunction, retryOnNetwork } from './call'

export const memberService = {
  /** Joining twice returns the same member (`created: false`). */
  join: (input: { scene?: string; nickname?: string }) => retryOnNetwork(() => callFunction('member', 'join', input)),
  profile: () => retryOnNetwork(() => callFunction('member', 'profile', {})),
  /** The member plus a fresh signed member code (expires in ~60 s). */
  card: () => retryOnNetwork(() => callFunction('member', 'card', {})),
}
