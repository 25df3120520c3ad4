/**
 * Group-buys (拼团): campaign configuration in `group_campaigns` (validated with zod when loaded)
 * and the groups members open and join in `groups`. Explicit states:
 *
 *   open ──(every seat taken and paid, before expiresAt)──▶ success
 *   open ──(expiresAt passed, or nobody left in it)────────▶ failed ──(each paid order refunded once)──▶ refundedAt set
 *
 * An open group whose expiresAt has passed is shown as failed at once (the sweeper makes it so
 * within a minute); it can never succeed. Joining is one conditional update on the group that
 * checks open / not full / not already in it / not expired / leader paid and takes the seat.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { GroupCampaignView, GroupView } from '../contract/trade'
import { fulfilmentTypesSchema, fulfilmentUnsupported, type FulfilmentType } from '../orders'
import { imageSchema } from '../shared/config'
import { AppError } from '../shared/errors'
import { instantSchema } from './flash-sale'

export const groupCampaignSchema = z
  .object({
    _id: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'must be a short id of letters, digits, _ and -'),
    title: z.string().min(1).max(40),
    image: imageSchema,
    /** price per member in a group, fen */
    groupPrice: z.number().int('must be whole fen').positive(),
    listPrice: z.number().int('must be whole fen').positive(),
    /** members a group needs to succeed (the leader included) */
    groupSize: z.number().int().min(2).max(20),
    /** how long a group stays open, minutes */
    timeLimitMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60),
    /** units left (one per member in a group) */
    stock: z.number().int().min(0),
    sold: z.number().int().min(0).default(0),
    /** no new groups from this instant on; groups already open run to their own expiry (capped here) */
    endAt: instantSchema,
    /** how the goods reach each member once the group is formed: 门店自提, 快递配送 or both */
    fulfilment: fulfilmentTypesSchema,
  })
  .passthrough()
  .superRefine((campaign, context) => {
    if (campaign.listPrice < campaign.groupPrice) context.addIssue({ code: 'custom', path: ['listPrice'], message: 'must not be below groupPrice' })
  })
export type GroupCampaign = z.infer<typeof groupCampaignSchema>

export type GroupStatus = GroupView['status']

export interface GroupParticipant {
  memberId: string
  /** who to notify (never shown) */
  openid: string
  nickname: string
  orderId: string
  joinedAt: Date
  /** how this member's goods reach them (participants of older groups lack it) */
  fulfilment?: FulfilmentType
}

export interface GroupRecord {
  _id: string
  campaignId: string
  title: string
  /** the campaign's prices when the group was opened, fen (groups opened before they were recorded lack them) */
  groupPrice?: number
  listPrice?: number
  /** the campaign's ways of fulfilment when the group was opened (older groups lack them: read the campaign) */
  fulfilment?: FulfilmentType[]
  /** the campaign's picture when the group was opened (a cloud file id or a link) */
  image?: string | null
  leaderMemberId: string
  /** seats (the campaign's groupSize when the group was opened) */
  size: number
  /** seats taken = participants.length, changed only together with participants */
  count: number
  participants: GroupParticipant[]
  /** orders of this group that were paid (each counted once) */
  paidOrders: string[]
  paidCount: number
  /** nobody can join before the leader has paid */
  leaderPaid: boolean
  status: GroupStatus
  expiresAt: Date
  createdAt: Date
  succeededAt: Date | null
  failedAt: Date | null
  /** set once every participant's order of a failed group is closed (refunded or cancelled) */
  refundedAt: Date | null
  /** set once every participant of a successful group was notified */
  notifiedAt: Date | null
  requestId: string
}

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length)
}

/** The group a leader's start request opens: the same request again finds the same group. */
export function groupIdFor(leaderMemberId: string, requestId: string): string {
  return `g${shortHash(`${leaderMemberId}:${requestId}`, 23)}`
}

/** A member's order in a group, from their request: a retried join finds the same order. */
export function groupOrderId(groupId: string, memberId: string, requestId: string): string {
  return `gb:${groupId}:${shortHash(`${memberId}:${requestId}`, 16)}`
}

/** When a group opened at `now` closes: its time limit, but never after the campaign ends. */
export function groupExpiry(campaign: Pick<GroupCampaign, 'timeLimitMinutes' | 'endAt'>, now: Date): Date {
  return new Date(Math.min(now.getTime() + campaign.timeLimitMinutes * 60_000, new Date(campaign.endAt).getTime()))
}

export function isExpired(group: Pick<GroupRecord, 'expiresAt'>, now: Date): boolean {
  return now >= new Date(group.expiresAt)
}

export function isFull(group: Pick<GroupRecord, 'count' | 'size'>): boolean {
  return group.count >= group.size
}

/** What the group is, as members should see it: an open group past its expiry has failed. */
export function effectiveStatus(group: Pick<GroupRecord, 'status' | 'expiresAt'>, now: Date): GroupStatus {
  return group.status === 'open' && isExpired(group, now) ? 'failed' : group.status
}

/** Every seat taken and paid, still open and not expired: the group may be marked a success. */
export function canSucceed(group: Pick<GroupRecord, 'status' | 'count' | 'size' | 'paidCount' | 'expiresAt'>, now: Date): boolean {
  return group.status === 'open' && group.count >= group.size && group.paidCount >= group.size && !isExpired(group, now)
}

export function isParticipant(group: Pick<GroupRecord, 'participants'>, memberId: string): boolean {
  return group.participants.some((participant) => participant.memberId === memberId)
}

/**
 * Why a join did not get a seat, from the group as read after the conditional update failed.
 * (A member already in the group is handled by the caller: it may be a retry of their join.)
 */
export function joinRefusal(group: GroupRecord | null, memberId: string, now: Date): AppError {
  if (!group) return new AppError('GROUP_NOT_FOUND', '未找到该拼团')
  if (isParticipant(group, memberId)) return new AppError('ALREADY_IN_GROUP', '您已在该团中')
  if (group.status === 'success') return new AppError('GROUP_COMPLETE', '该团已成团')
  if (group.status === 'failed' || isExpired(group, now)) return new AppError('GROUP_ENDED', '该团已结束')
  if (isFull(group)) return new AppError('GROUP_FULL', '该团已满')
  if (!group.leaderPaid) return new AppError('LEADER_NOT_PAID', '团长尚未完成支付，请稍后再试')
  return new AppError('BUSY', '参团人数过多，请稍后重试')
}

/** Why no group could be started, from the campaign as read after the stock update failed. */
export function startRefusal(campaign: Pick<GroupCampaign, 'endAt' | 'stock' | 'fulfilment'> | null, now: Date, asked: FulfilmentType): AppError {
  if (!campaign) return new AppError('CAMPAIGN_NOT_FOUND', '拼团活动不存在')
  if (!campaign.fulfilment.includes(asked)) return fulfilmentUnsupported(asked, campaign.fulfilment)
  if (now >= new Date(campaign.endAt)) return new AppError('CAMPAIGN_ENDED', '拼团活动已结束')
  return new AppError('SOLD_OUT', '已售罄')
}

export function toGroupCampaignView(campaign: GroupCampaign): GroupCampaignView {
  return {
    campaignId: campaign._id,
    title: campaign.title,
    image: campaign.image,
    groupPrice: campaign.groupPrice,
    listPrice: campaign.listPrice,
    groupSize: campaign.groupSize,
    timeLimitMinutes: campaign.timeLimitMinutes,
    stockLeft: Math.max(0, campaign.stock),
    endAt: new Date(campaign.endAt).toISOString(),
    fulfilment: [...campaign.fulfilment],
  }
}

export type GroupPrices = Pick<GroupCampaign, 'groupPrice' | 'listPrice'>
/** What a group offers its members: prices and ways of fulfilment, recorded when it was opened. */
export type GroupTerms = GroupPrices & Pick<GroupCampaign, 'fulfilment' | 'image'>

/** The prices a group records; null for a group opened before they were recorded (read its campaign). */
export function recordedPrices(group: Pick<GroupRecord, 'groupPrice' | 'listPrice'>): GroupPrices | null {
  return typeof group.groupPrice === 'number' && typeof group.listPrice === 'number' ? { groupPrice: group.groupPrice, listPrice: group.listPrice } : null
}

/** What a member sees of a group; `terms` are the group's own (recordedTerms) or, for an older group, its campaign's. */
export function toGroupView(group: GroupRecord, viewerMemberId: string | null, now: Date, terms: GroupTerms): GroupView {
  return {
    groupId: group._id,
    campaignId: group.campaignId,
    title: group.title,
    groupPrice: terms.groupPrice,
    listPrice: terms.listPrice,
    groupSize: group.size,
    status: effectiveStatus(group, now),
    expiresAt: new Date(group.expiresAt).toISOString(),
    members: group.participants.map((participant) => ({
      nickname: participant.nickname,
      isLeader: participant.memberId === group.leaderMemberId,
      joinedAt: new Date(participant.joinedAt).toISOString(),
    })),
    joinedByMe: viewerMemberId !== null && isParticipant(group, viewerMemberId),
    fulfilment: [...terms.fulfilment],
    image: terms.image,
  }
}

export const GROUP_RESULT_TEMPLATE = 'TPL_GROUP_RESULT'
export type GroupResult = 'success' | 'failed'

/** The subscribe message telling a participant how their group ended. */
export function groupResultMessage(group: Pick<GroupRecord, 'title' | 'size'>, participant: Pick<GroupParticipant, 'openid' | 'fulfilment'>, result: GroupResult) {
  return {
    touser: participant.openid,
    template_id: GROUP_RESULT_TEMPLATE,
    page: 'pages/card/index',
    data: {
      thing1: { value: group.title.slice(0, 20) },
      phrase2: { value: result === 'success' ? '拼团成功' : '拼团失败' },
      thing3: { value: result === 'success' ? `${group.size}人团已成团，${participant.fulfilment === 'pickup' ? '请到店自提' : '请留意发货'}` : '未能在时限内成团，款项已原路退回' },
    },
  }
}

/** One notice per participant, group and result: the id of its record. */
export function groupNoticeId(groupId: string, result: GroupResult, memberId: string): string {
  return `${groupId}:${result}:${memberId}`
}
