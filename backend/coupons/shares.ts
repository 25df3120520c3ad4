/**
 * 领券中心, 我的优惠券 and 朋友券 shares: the coupon function's reads and writes.
 */
import { withImageLinks } from '../platform/storage'
import type { FriendShareView } from '../../domain/contract'
import { couponTemplateSchema, toTemplateView, type CouponRecord, type CouponTemplate } from '../../domain/coupons/coupon'
import { parseConfigDocument } from '../../domain/shared/config'
import { AppError } from '../../domain/shared/errors'
import { database, isDuplicateKey } from '../platform/cloud'

export interface ShareRecord {
  _id: string
  templateId: string
  sharerMemberId: string
  sharerNickname: string
  claims: number
  createdAt: Date
}

/** How many coupons of each template the member has claimed (领券中心's counts): one aggregate. */
export async function claimedCounts(memberId: string): Promise<Map<string, number>> {
  const { data } = await database()
    .collection('coupons')
    .aggregate()
    .match({ memberId })
    .group({ _id: '$templateId', n: database().command.aggregate.sum(1) })
    .end()
  return new Map((data as { _id: string; n: number }[]).map((row) => [row._id, row.n]))
}

export async function findShare(shareId: string): Promise<ShareRecord> {
  const { data } = await database().collection('coupon_shares').doc(shareId).get()
  if (!data[0]) throw new AppError('SHARE_NOT_FOUND', '分享已失效')
  return data[0] as ShareRecord
}

export async function shareView(share: ShareRecord, template: CouponTemplate, viewerId: string | null): Promise<FriendShareView> {
  let claimedByMe = false
  if (viewerId) {
    const { total } = await database().collection('coupons').where({ memberId: viewerId, templateId: template._id, sharerMemberId: share.sharerMemberId }).count()
    claimedByMe = total > 0
  }
  return {
    shareId: share._id,
    sharerNickname: share.sharerNickname,
    template: (await withImageLinks([toTemplateView(template, 0)]))[0],
    remainingForShare: Math.max(0, (template.friend?.perSharer ?? 0) - share.claims),
    claimedByMe,
    mine: viewerId !== null && viewerId === share.sharerMemberId,
  }
}

/** The templates on the 领券中心 shelf (on shelf and claimable), parsed: one query. */
export async function claimableTemplates(): Promise<CouponTemplate[]> {
  const { data } = await database().collection('coupon_templates').where({ onShelf: true, claimable: true }).limit(100).get()
  return (data as unknown[]).map((document) => parseConfigDocument(couponTemplateSchema, 'coupon_templates', document))
}

/** 我的优惠券: the member's unused, used or expired coupons (one query). */
export async function walletCoupons(memberId: string, status: 'unused' | 'used' | 'expired', now: Date): Promise<CouponRecord[]> {
  const _ = database().command
  const where =
    status === 'unused'
      ? { memberId, status: 'unused', validTo: _.gt(now) }
      : status === 'used'
        ? { memberId, status: 'used' }
        : _.and([{ memberId }, _.or([{ status: 'expired' }, { status: 'unused', validTo: _.lte(now) }])])
  const { data } = await database()
    .collection('coupons')
    .where(where)
    .orderBy('validTo', status === 'unused' ? 'asc' : 'desc')
    .limit(100)
    .get()
  return data as CouponRecord[]
}

/** Whether the member holds a copy of the template not claimed from a friend (one count). */
export async function holdsOwnCopy(memberId: string, templateId: string): Promise<boolean> {
  const { total } = await database()
    .collection('coupons')
    .where({ memberId, templateId, source: database().command.neq('friend') })
    .count()
  return total > 0
}

/** Records the member's share card for the template; an existing one stays as it is. */
export async function openShare(share: ShareRecord): Promise<void> {
  try {
    await database().collection('coupon_shares').add(share)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

/** Takes one claim of the share if it has claims left (one conditional update). */
export async function takeShareClaim(shareId: string, perSharer: number): Promise<boolean> {
  const _ = database().command
  const { updated } = await database()
    .collection('coupon_shares')
    .where({ _id: shareId, claims: _.lt(perSharer) })
    .update({ claims: _.inc(1) })
  return updated === 1
}

/** Gives back a claim taken by takeShareClaim when the coupon could not be claimed. */
export async function returnShareClaim(shareId: string): Promise<void> {
  await database()
    .collection('coupon_shares')
    .doc(shareId)
    .update({ claims: database().command.inc(-1) })
}
