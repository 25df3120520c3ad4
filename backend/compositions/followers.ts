/**
 * The one map from each fact to the followers that act on it (ARCHITECTURE "Facts and their
 * followers"). It spans contexts, so it lives above them; the function entry points that deliver
 * facts (the join, the minute timer) pass it in. Every fact type is listed, with its followers
 * or none yet.
 */
import { welcomeGiftFollower } from '../coupons'
import { staffResultsFollower } from '../membership'
import { peopleJoinedFollower, sceneOpensFollower, socialPurchasesFollower, socialRewardsFollower } from '../social'
import type { Followers } from '../platform/events'

export const FOLLOWERS: Followers = {
  joined: [welcomeGiftFollower, staffResultsFollower, peopleJoinedFollower, socialRewardsFollower],
  purchased: [staffResultsFollower, socialPurchasesFollower],
  refunded: [staffResultsFollower, socialPurchasesFollower],
  order_paid: [socialPurchasesFollower],
  order_refunded: [socialPurchasesFollower],
  coupon_claimed: [socialRewardsFollower],
  group_joined: [socialRewardsFollower],
  scene_opened: [sceneOpensFollower],
}
