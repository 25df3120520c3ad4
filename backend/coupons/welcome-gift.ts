/** 入会礼: the welcome coupon, given once to each member who joins (a follower of `joined`). */
import { loyaltyConfig } from '../platform/config-store'
import type { Follower } from '../platform/events'
import { giveCoupon } from './coupons'

export const welcomeGiftFollower: Follower = {
  name: 'welcome-gift',
  async handle(fact) {
    if (fact.type !== 'joined') return
    const { gifts } = await loyaltyConfig()
    // the gift's id comes from the member and the cause, so a second delivery finds it given
    await giveCoupon(gifts.welcomeCouponTemplateId, fact.data.memberId, 'welcome', 'welcome', new Date(fact.at))
  },
}
