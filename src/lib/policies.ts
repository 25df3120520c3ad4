/** The versions of the documents a member agrees to by joining (the join page and 个人资料 show the same). */
export const PRIVACY_POLICY_VERSION = '2026-01'

export type PolicyDoc = 'charter' | 'privacy'

export const POLICY_TITLES: Record<PolicyDoc, string> = {
  charter: '花漾美妆会员章程',
  privacy: '花漾美妆隐私政策',
}
