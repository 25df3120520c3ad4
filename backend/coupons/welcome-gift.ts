/** 入会礼: the welcome coupon, given once to each member who joins (a follower of `joined`). */
import { AppError } from '../../domain/shared/errors'
import { loyaltyConfig } from '../platform/config-store'
import type { Follower } from '../platform/events'
import { claimCoupon, findTemplate } from './coupons'

export const welcomeGiftFollower: Follower = {
  name: 'welcome-gift',
  async handle(fact) {
    if (fact.type !== 'joined') return
    const { gifts } = await loyaltyConfig()
    if (!gifts.welcomeCouponTemplateId) return
    try {
      const template = await findTemplate(gifts.welcomeCouponTemplateId)
      if (!template.onShelf) return
      // the gift's id comes from the member and the cause, so a second delivery finds it given
      await claimCoupon({ template, memberId: fact.data.memberId, source: 'welcome', requestId: 'welcome', now: new Date(fact.at) })
    } catch (error) {
      // a template that is missing or used up is the brand's to fix, not worth retrying
      if (!(error instanceof AppError)) throw error
      console.error(`[coupons] no welcome gift for ${fact.data.memberId}: ${error.message}`)
    }
  },
}
