import type { ActionResults, FriendShareView } from '../../../domain/contract'
import { couponRefusal, couponTemplateSchema, inAudience, isUsableAt, toCouponView, toTemplateView, type CouponRecord, type CouponTemplate } from '../../../domain/coupons/coupon'
import { parseConfigDocument } from '../../../domain/shared/config'
import { AppError } from '../../../domain/shared/errors'
import { memberIdFor, type MemberRecord } from '../../../domain/membership/member'
import { signCode } from '../../../domain/shared/signed-code'
import { database, isDuplicateKey, requiredSetting } from '../../../backend/platform/cloud'
import { claimCoupon, claimedBefore, findCoupon, findTemplate } from '../../../backend/coupons/coupons'
import { defineFunction, requireMember } from '../../../backend/platform/handler'
import { inactiveCardError } from '../../../domain/membership/card-status'
import { findMember, notAMember } from '../../../backend/membership/members'

type Results = ActionResults['coupon']

interface ShareRecord {
  _id: string
  templateId: string
  sharerMemberId: string
  sharerNickname: string
  claims: number
  createdAt: Date
}

async function activeMember(openid: string): Promise<MemberRecord> {
  const member = await findMember(memberIdFor(openid))
  if (!member) throw notAMember()
  if (member.status !== 'active') throw inactiveCardError(member.status)
  return member
}

async function claimedCounts(memberId: string): Promise<Map<string, number>> {
  const { data } = await database().collection('coupons').aggregate().match({ memberId }).group({ _id: '$templateId', n: database().command.aggregate.sum(1) }).end()
  return new Map((data as { _id: string; n: number }[]).map((row) => [row._id, row.n]))
}

async function findShare(shareId: string): Promise<ShareRecord> {
  const { data } = await database().collection('coupon_shares').doc(shareId).get()
  if (!data[0]) throw new AppError('SHARE_NOT_FOUND', '分享已失效')
  return data[0] as ShareRecord
}

async function shareView(share: ShareRecord, template: CouponTemplate, viewerId: string | null): Promise<FriendShareView> {
  let claimedByMe = false
  if (viewerId) {
    const { total } = await database().collection('coupons').where({ memberId: viewerId, templateId: template._id, sharerMemberId: share.sharerMemberId }).count()
    claimedByMe = total > 0
  }
  return {
    shareId: share._id,
    sharerNickname: share.sharerNickname,
    template: toTemplateView(template, 0),
    remainingForShare: Math.max(0, (template.friend?.perSharer ?? 0) - share.claims),
    claimedByMe,
  }
}

export const main = defineFunction('coupon', {
  /** 领券中心 */
  async centre(_input, { caller }): Promise<Results['centre']> {
    const member = await activeMember(requireMember(caller))
    const [{ data }, counts] = await Promise.all([database().collection('coupon_templates').where({ onShelf: true, claimable: true }).limit(100).get(), claimedCounts(member._id)])
    const templates = (data as unknown[]).map((document) => parseConfigDocument(couponTemplateSchema, 'coupon_templates', document))
    return {
      templates: templates.filter((template) => inAudience(template, member)).map((template) => toTemplateView(template, counts.get(template._id) ?? 0)),
    }
  },

  async claim({ templateId, requestId }, { caller, now }): Promise<Results['claim']> {
    const member = await activeMember(requireMember(caller))
    // The same request again, even naming another template, gets the first coupon and takes nothing.
    const earlier = await claimedBefore(member._id, 'centre', requestId)
    if (earlier) return { coupon: toCouponView(earlier, now) }
    const template = await findTemplate(templateId)
    if (!template.onShelf || !template.claimable) throw new AppError('COUPON_NOT_CLAIMABLE', '该优惠券暂不可领取')
    if (!inAudience(template, member)) throw new AppError('TIER_RESTRICTED', '您的会员等级暂不能领取该优惠券')
    const coupon = await claimCoupon({ template, memberId: member._id, source: 'centre', requestId, now })
    return { coupon: toCouponView(coupon, now) }
  },

  /** 我的优惠券: unused, used or expired */
  async wallet({ status }, { caller, now }): Promise<Results['wallet']> {
    const memberId = memberIdFor(requireMember(caller))
    const _ = database().command
    const where =
      status === 'unused'
        ? { memberId, status: 'unused', validTo: _.gt(now) }
        : status === 'used'
          ? { memberId, status: 'used' }
          : _.and([{ memberId }, _.or([{ status: 'expired' }, { status: 'unused', validTo: _.lte(now) }])])
    const { data } = await database().collection('coupons').where(where).orderBy('validTo', status === 'unused' ? 'asc' : 'desc').limit(100).get()
    return { coupons: (data as CouponRecord[]).map((coupon) => toCouponView(coupon, now)) }
  },

  /** The coupon's own short-lived code, for the clerk to scan (核销). */
  async code({ couponId }, { caller, now }): Promise<Results['code']> {
    const member = await activeMember(requireMember(caller))
    const coupon = await findCoupon(couponId)
    if (!coupon || coupon.memberId !== member._id) throw new AppError('COUPON_NOT_FOUND', '未找到这张优惠券')
    if (!isUsableAt(coupon, now)) throw couponRefusal(coupon, now)
    return signCode('CP', coupon._id, now.getTime(), requiredSetting('MEMBER_CODE_SECRET'))
  },

  /** 朋友券: a member holding a friend coupon gets a share card for friends. */
  async shareFriendCoupon({ templateId }, { caller, now }): Promise<Results['shareFriendCoupon']> {
    const member = await activeMember(requireMember(caller))
    const template = await findTemplate(templateId)
    if (!template.friend) throw new AppError('NOT_FRIEND_COUPON', '这张券不能分享给好友')
    const { total } = await database().collection('coupons').where({ memberId: member._id, templateId, source: database().command.neq('friend') }).count()
    if (total === 0) throw new AppError('FRIEND_COUPON_NOT_HELD', '请先领取这张朋友券，再分享给好友')
    const share: ShareRecord = { _id: `share:${templateId}:${member._id}`, templateId, sharerMemberId: member._id, sharerNickname: member.nickname, claims: 0, createdAt: now }
    try {
      await database().collection('coupon_shares').add(share)
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
    return { share: await shareView(await findShare(share._id), template, member._id) }
  },

  /** What a friend sees when opening the share card: the coupon, shared by <nickname>. */
  async friendShare({ shareId }, { caller }): Promise<Results['friendShare']> {
    const share = await findShare(shareId)
    const viewer = caller.openid ? await findMember(memberIdFor(caller.openid)) : null
    return { share: await shareView(share, await findTemplate(share.templateId), viewer?._id ?? null) }
  },

  /** A friend claims their own copy; limits per sharer and per friend and the total budget hold under concurrency. */
  async claimFriendCoupon({ shareId, requestId }, { caller, now }): Promise<Results['claimFriendCoupon']> {
    const member = await activeMember(requireMember(caller))
    // The same request again, even naming another share, gets the first coupon and takes no claim of any share.
    const before = await claimedBefore(member._id, 'friend', requestId)
    if (before) return { coupon: toCouponView(before, now) }
    const share = await findShare(shareId)
    if (share.sharerMemberId === member._id) throw new AppError('OWN_SHARE', '不能领取自己分享的朋友券')
    const template = await findTemplate(share.templateId)
    if (!template.friend) throw new AppError('NOT_FRIEND_COUPON', '这张券不能分享给好友')
    const shares = database().collection('coupon_shares')
    const _ = database().command
    const { updated } = await shares.where({ _id: shareId, claims: _.lt(template.friend.perSharer) }).update({ claims: _.inc(1) })
    if (updated !== 1) throw new AppError('SHARE_EXHAUSTED', '这位好友分享的券已被领完')
    try {
      const coupon = await claimCoupon({ template, memberId: member._id, source: 'friend', requestId, now, sharer: { memberId: share.sharerMemberId, nickname: share.sharerNickname } })
      return { coupon: toCouponView(coupon, now) }
    } catch (error) {
      await shares.doc(shareId).update({ claims: _.inc(-1) })
      throw error
    }
  },
})
