import type { ShareTarget } from '@domain/contract'
import { callFunction, retryOnNetwork } from './call'

export const socialService = {
  /** The member's share code for a target, the same on every call (a share path carries `s=<code>`). */
  share: (target: ShareTarget) => retryOnNetwork(() => callFunction('social', 'share', { target })),
  /** Records that this WeChat user opened a share or channel scene; what it names (`opened: null` for nothing). */
  open: (scene: string) => retryOnNetwork(() => callFunction('social', 'open', { scene })),
  /** 我的邀请: friends who joined through the member's shares. */
  invites: () => retryOnNetwork(() => callFunction('social', 'invites', {})),
}
