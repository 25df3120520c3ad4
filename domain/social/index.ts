/** The social context's rules as other contexts and the entry points use them. */
export {
  bindDecision,
  bindingRulesSchema,
  invitationAtJoin,
  joiningScene,
  BIND_MODES,
  type BindDecision,
  type BindMode,
  type BindRefusal,
  type Binding,
  type BindingRules,
  type Invitation,
  type PersonRecord,
} from './binding'
export { socialConfigSchema, type SocialConfig } from './config'
export { ownerAtJoin, usualStore } from './owner'
export { parseScene, sceneOf, SCENE_CODE_PATTERN, type ParsedScene, type SceneKind } from './scene'
export { targetKey, type ShareRecord } from './shares'
export {
  creditedSharer,
  friendOutcomeOf,
  inPurchaseWindow,
  isPurchaseOutcome,
  PURCHASE_OUTCOMES,
  purchaseOf,
  purchaseOutcome,
  refundedPurchaseOf,
  REWARD_OUTCOMES,
  rewardDayPath,
  rewardEntryId,
  rewardRuleSchema,
  rulesFor,
  unlockAt,
  type FriendOutcome,
  type FriendPurchase,
  type RewardOutcome,
  type RewardRule,
} from './rewards'
