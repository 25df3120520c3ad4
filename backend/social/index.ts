/** The social context's persistence and orchestration as other contexts and the entry points use them. */
export { socialHandlers } from './handlers'
export { joinAttribution, peopleJoinedFollower, type JoinAttribution } from './joins'
export { sceneOpensFollower } from './opens-log'
export { giveReward, socialRewardsFollower, type RewardResult } from './rewards'
export { socialPurchasesFollower } from './purchase-rewards'
export { rewardUnlocksJob } from './reward-locks'
