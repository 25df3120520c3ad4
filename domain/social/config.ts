/** config/social: how the brand binds friends to sharers and who owns an invited member. */
import { z } from 'zod'
import { bindingRulesSchema } from './binding'
import { rewardRulesSchema } from './rewards'

export const socialConfigSchema = z
  .object({
    _id: z.literal('social'),
    binding: bindingRulesSchema.default({}),
    /** a member who joined through a share (not a clerk's channel) is owned by the clerk who owns the inviter */
    ownerFromInviter: z.boolean().default(true),
    /** rewards for what a friend does (domain/social/rewards.ts) */
    rewards: rewardRulesSchema,
    /** purchase rewards stay locked (待入账) this long after the purchase: a refund inside cancels them */
    returnWindowDays: z.number().int().min(0).max(90).default(7),
  })
  .passthrough()
export type SocialConfig = z.infer<typeof socialConfigSchema>
