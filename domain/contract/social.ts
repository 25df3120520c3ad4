/**
 * The social function (社交裂变): share codes, the opens of shares and channel codes, and the
 * member's own invitations. A share is never rewarded; what the friend does later is.
 */
import { z } from 'zod'
import { sceneSchema } from './common'
import { action, IN_WECHAT, MEMBER } from './roles'

export const SHARE_TARGET_TYPES = ['invite', 'product', 'flashSale', 'group', 'friendCoupon'] as const
export type ShareTargetType = (typeof SHARE_TARGET_TYPES)[number]

export const shareTargetSchema = z
  .object({
    type: z.enum(SHARE_TARGET_TYPES),
    /** the product, sale, group or friend-coupon share; none for the invite card */
    id: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z0-9_:.-]+$/)
      .optional(),
  })
  .strict()
  .refine((target) => (target.type === 'invite') === (target.id === undefined), { message: 'the invite card has no id; every other target has one', path: ['id'] })
export type ShareTarget = z.infer<typeof shareTargetSchema>

export const socialActions = {
  /** the member's share code for a target (the same one every time): the path carries `s=<code>`, a poster's code `scene` = `s.<code>` */
  share: action(MEMBER, z.object({ target: shareTargetSchema }).strict()),
  /** the app opened with a share or channel scene: recorded once per opener and code, and the opener bound under the brand's bind mode */
  open: action(IN_WECHAT, z.object({ scene: sceneSchema }).strict()),
  /** 我的邀请: the friends the member invited (joined through their shares) */
  invites: action(MEMBER, z.object({ limit: z.number().int().min(1).max(50).default(20) }).strict()),
} as const

/** What an opened scene named. */
export interface OpenedSceneView {
  kind: 'channel' | 'share'
  /** the share's target (the page the friend lands on); null for a channel */
  target: ShareTarget | null
  /** who shared it (「…」邀请你), or the channel's name */
  from: string
}

/** One friend on 我的邀请; the nickname is masked (the friend chose it for the card, not for the inviter's list). */
export interface InvitedFriendView {
  nickname: string
  joinedAt: string
  /** how far the friend has come: joined, made a first purchase, bought again */
  stage: 'joined' | 'purchased' | 'repurchased'
}

/** A reward rule as the rules show it before the member takes part. */
export interface RewardRuleView {
  name: string
  /** what the friend does: joins, claims a friend coupon the member passed on, joins a group, buys for the first time, buys again */
  outcome: 'joined' | 'couponClaimed' | 'groupJoined' | 'firstPurchase' | 'repurchase'
  /** purchases: counted within this many days of the friend's joining (null: any time) */
  withinDays: number | null
  /** purchases: the reward stays 待入账 this many days (the return window); null when credited at once */
  lockedDays: number | null
  points: number
  /** the coupon's name when the rule gives one */
  couponName: string | null
  dailyCap: number
  /** rewards of the campaign in all (发完即止) */
  budget: number
  endsAt: string | null
}

/** A reward the member got for a friend's outcome. */
export interface RewardView {
  description: string
  points: number
  /** 已入账, 待入账 (until `until`), or taken away because the friend's purchase was refunded */
  state: 'credited' | 'locked' | 'cancelled' | 'clawedBack'
  until: string | null
  /** the friend, masked */
  friend: string
  at: string
}

export interface SocialResults {
  social: {
    share: { code: string; scene: string; target: ShareTarget }
    /** null: the code names nothing (mistyped, or from another brand) */
    open: { opened: OpenedSceneView | null }
    /** binding: the brand's bind mode, for the rules the page shows before the member takes part */
    invites: {
      total: number
      friends: InvitedFriendView[]
      binding: { mode: 'firstTouch' | 'firstTouchForDays' | 'lastTouch'; days: number; newcomersOnly: boolean }
      /** the rewards on offer now, and the member's own (points credited in all, net of clawbacks; points 待入账; the latest 20) */
      rules: RewardRuleView[]
      rewards: { points: number; locked: number; latest: RewardView[] }
    }
  }
}
