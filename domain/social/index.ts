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
export { creditedSharer, friendOutcomeOf, REWARD_OUTCOMES, rewardDayPath, rewardEntryId, rewardRuleSchema, rulesFor, type FriendOutcome, type RewardOutcome, type RewardRule } from './rewards'
