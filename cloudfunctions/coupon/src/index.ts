import type { ActionResults } from '../../../domain/contract'
import { couponRefusal, inAudience, isUsableAt, toCouponView, toTemplateView } from '../../../domain/coupons'
import { AppError } from '../../../domain/shared/errors'
import { inactiveCardError, memberIdFor, type MemberRecord } from '../../../domain/membership'
import { issueScanCode } from '../../../backend/platform/scan-codes'
import {
  claimCoupon,
  claimableTemplates,
  claimedBefore,
  claimedCounts,
  findCoupon,
  findShare,
  findTemplate,
  holdsOwnCopy,
  openShare,
  returnShareClaim,
  shareView,
  takeShareClaim,
  walletCoupons,
  type ShareRecord,
} from '../../../backend/coupons'
import { defineFunction, requireMember } from '../../../backend/platform/handler'
import { withImageLinks } from '../../../backend/platform/storage'
import { findMember, notAMember } from '../../../backend/membership'

type Results = ActionResults['coupon']

async function activeMember(openid: string): Promise<MemberRecord> {
  const member = await findMember(memberIdFor(openid))
  if (!member) throw notAMember()
  if (member.status !== 'active') throw inactiveCardError(member.status)
  return member
}

export const main = defineFunction('coupon', {
  /** 领券中心 */
  async centre(_input, { caller }): Promise<Results['centre']> {
    const member = await activeMember(requireMember(caller))
    const [templates, counts] = await Promise.all([claimableTemplates(), claimedCounts(member._id)])
    return {
      templates: await withImageLinks(templates.filter((template) => inAudience(template, member)).map((template) => toTemplateView(template, counts.get(template._id) ?? 0))),
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
    return { coupons: (await walletCoupons(memberId, status, now)).map((coupon) => toCouponView(coupon, now)) }
  },

  /** The coupon's own short-lived code, for the clerk to scan (核销). */
  async code({ couponId }, { caller, now }): Promise<Results['code']> {
    const member = await activeMember(requireMember(caller))
    const coupon = await findCoupon(couponId)
    if (!coupon || coupon.memberId !== member._id) throw new AppError('COUPON_NOT_FOUND', '未找到这张优惠券')
    if (!isUsableAt(coupon, now)) throw couponRefusal(coupon, now)
    return issueScanCode('coupon', coupon._id, now)
  },

  /** One read of the coupon: its code page turns to 已核销 within seconds of the clerk's scan. */
  async codeStatus({ couponId }, { caller, now }): Promise<Results['codeStatus']> {
    const coupon = await findCoupon(couponId)
    if (!coupon || coupon.memberId !== memberIdFor(requireMember(caller))) throw new AppError('COUPON_NOT_FOUND', '未找到这张优惠券')
    const status = coupon.status === 'unused' && now >= new Date(coupon.validTo) ? 'expired' : coupon.status
    return { status, usedAt: coupon.usedAt ? new Date(coupon.usedAt).toISOString() : null }
  },

  /** 朋友券: a member holding a friend coupon gets a share card for friends. */
  async shareFriendCoupon({ templateId }, { caller, now }): Promise<Results['shareFriendCoupon']> {
    const member = await activeMember(requireMember(caller))
    const template = await findTemplate(templateId)
    if (!template.friend) throw new AppError('NOT_FRIEND_COUPON', '这张券不能分享给好友')
    if (!(await holdsOwnCopy(member._id, templateId))) throw new AppError('FRIEND_COUPON_NOT_HELD', '请先领取这张朋友券，再分享给好友')
    const share: ShareRecord = { _id: `share:${templateId}:${member._id}`, templateId, sharerMemberId: member._id, sharerNickname: member.nickname, claims: 0, createdAt: now }
    await openShare(share)
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
    if (!(await takeShareClaim(shareId, template.friend.perSharer))) throw new AppError('SHARE_EXHAUSTED', '这位好友分享的券已被领完')
    try {
      const coupon = await claimCoupon({ template, memberId: member._id, source: 'friend', requestId, now, sharer: { memberId: share.sharerMemberId, nickname: share.sharerNickname } })
      return { coupon: toCouponView(coupon, now) }
    } catch (error) {
      await returnShareClaim(shareId)
      throw error
    }
  },
})
