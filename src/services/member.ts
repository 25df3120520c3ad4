import type { ActionInput } from '@domain/contract'
import { callFunction, newRequestId, retryOnNetwork } from './call'
import { hasCode } from './errors'

export const memberService = {
  /** Joining twice returns the same member (`created: false`). */
  join: (input: ActionInput<'member', 'join'>) => retryOnNetwork(() => callFunction('member', 'join', input)),
  profile: () => retryOnNetwork(() => callFunction('member', 'profile', {})),
  /** The member and their profile, or null for a visitor who has not joined (the server's NOT_FOUND). */
  profileOrNull: async () => {
    try {
      return await memberService.profile()
    } catch (error) {
      if (hasCode(error, 'NOT_FOUND')) return null
      throw error
    }
  },
  /** The member plus a fresh signed member code (expires in ~60 s). */
  card: () => retryOnNetwork(() => callFunction('member', 'card', {})),

  /** Only the fields that changed; the birthday can be set once. */
  updateProfile: (input: ActionInput<'member', 'updateProfile'>) => retryOnNetwork(() => callFunction('member', 'updateProfile', input)),
  /** `code` from the getPhoneNumber button (weapp) or the dev code (H5). */
  bindPhone: (code: string) => retryOnNetwork(() => callFunction('member', 'bindPhone', { code })),
  setPayPassword: (password: string, currentPassword?: string) => retryOnNetwork(() => callFunction('member', 'setPayPassword', { password, ...(currentPassword ? { currentPassword } : {}) })),
  saveAddress: (input: ActionInput<'member', 'saveAddress'>) => retryOnNetwork(() => callFunction('member', 'saveAddress', input)),
  removeAddress: (id: string) => retryOnNetwork(() => callFunction('member', 'removeAddress', { id })),
  recordConsent: (version: string) => retryOnNetwork(() => callFunction('member', 'recordConsent', { version })),
  exportData: () => retryOnNetwork(() => callFunction('member', 'exportData', {})),
  requestDeletion: (reason?: string) => retryOnNetwork(() => callFunction('member', 'requestDeletion', reason ? { reason } : {})),

  /** The brand's stores (门店自提), in a stable order; anyone may ask. */
  stores: () => retryOnNetwork(() => callFunction('member', 'stores', {})),

  /** 挂失 / 解挂 by the member. One requestId per tap on 确认; retries reuse it. */
  newCardServiceRequestId: () => newRequestId('card'),
  reportLoss: (requestId: string) => retryOnNetwork(() => callFunction('member', 'reportLoss', { requestId })),
  cancelLoss: (phoneCode: string, requestId: string) => retryOnNetwork(() => callFunction('member', 'cancelLoss', { phoneCode, requestId })),
}
