/**
 * Claiming, using and restoring coupons with conditional atomic updates only:
 *  - issuance: `where({ _id, taken < total }).update({ taken: +1 })` (and the friend budget), then the
 *    coupon document at the member's next free slot id, so `_id` uniqueness enforces per-member
 *    limits; a failed step gives back what the earlier step took;
 *  - use: `where({ _id, status: 'unused', … }).updateAndReturn({ status: 'used', usedIn })` — two
 *    clerks scanning one coupon at once: one wins;
 *  - restore (refund): only the use that `usedIn` names can be undone, and only while still valid.
 */
import { couponId, couponRefusal, couponTemplateSchema, isUsableAt, termsOf, validityWindow, type CouponRecord, type CouponSource, type CouponTemplate } from '../../domain/coupons/coupon'
import { parseConfigDocument } from '../../domain/shared/config'
import { AppError } from '../../domain/shared/errors'
import { fact } from '../../domain/shared/events'
import { database, isDuplicateKey } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { carriedFields } from '../platform/events'

const coupons = () => database().collection('coupons')
const templates = () => database().collection('coupon_templates')

export async function findTemplate(templateId: string): Promise<CouponTemplate> {
  const { data } = await templates().doc(templateId).get()
  if (!data[0]) throw new AppError('COUPON_TEMPLATE_NOT_FOUND', '优惠券不存在或已下架')
  return parseConfigDocument(couponTemplateSchema, 'coupon_templates', data[0])
}

export async function findCoupon(id: string): Promise<CouponRecord | null> {
  const { data } = await coupons().doc(id).get()
  return (data[0] as CouponRecord | undefined) ?? null
}

export interface ClaimRequest {
  template: CouponTemplate
  memberId: string
  source: CouponSource
  requestId: string
  now: Date
  sharer?: { memberId: string; nickname: string }
}

async function takeCopy(template: CouponTemplate, friend: boolean): Promise<boolean> {
  const _ = database().command
  // `not ≥` rather than `<`: a template written in the console may not have the counters yet.
  const where: Record<string, unknown> = { _id: template._id, taken: _.not(_.gte(template.total)) }
  const update: Record<string, unknown> = { taken: _.inc(1) }
  if (friend && template.friend) {
    where.friendTaken = _.not(_.gte(template.friend.budget))
    update.friendTaken = _.inc(1)
  }
  const { updated } = await templates().where(where).update(update)
  return updated === 1
}

async function giveBackCopy(template: CouponTemplate, friend: boolean): Promise<void> {
  const _ = database().command
  await templates()
    .doc(template._id)
    .update(friend ? { taken: _.inc(-1), friendTaken: _.inc(-1) } : { taken: _.inc(-1) })
}

/**
 * The coupon an earlier claim with this request id (from the same source) gave, whatever template
 * it named: a claim with the same request id gets the same coupon back and takes nothing.
 */
export async function claimedBefore(memberId: string, source: CouponSource, requestId: string): Promise<CouponRecord | null> {
  const { data } = await coupons().where({ memberId, source, requestId }).limit(1).get()
  return (data[0] as CouponRecord | undefined) ?? null
}

/**
 * A gift the system gives (the welcome coupon, the birthday coupon every year, a friend's outcome's reward) is given once per
 * its cause, not within the template's per-member claim limit: a member gets the birthday coupon
 * again next year, and also after claiming the same coupon in the centre. Its one id comes from
 * the cause (`<template>:<member>:<request id>`, e.g. `birthday-2040`), so two runs at once give it once.
 */
const isGift = (source: CouponSource) => source === 'welcome' || source === 'birthday' || source === 'reward'
const giftCouponId = (templateId: string, memberId: string, requestId: string) => `${templateId}:${memberId}:${requestId}`

export async function claimCoupon({ template, memberId, source, requestId, now, sharer }: ClaimRequest): Promise<CouponRecord> {
  const earlier = await claimedBefore(memberId, source, requestId)
  if (earlier) return earlier
  const friend = source === 'friend'
  const gift = isGift(source)
  const held = gift
    ? 0
    : (
        await coupons()
          .where({ memberId, templateId: template._id, source: friend ? 'friend' : database().command.neq('friend') })
          .count()
      ).total
  const limit = friend ? (template.friend?.perFriend ?? 0) : template.perMemberLimit
  if (!gift && held >= limit) throw new AppError('COUPON_LIMIT_REACHED', `每人限领 ${limit} 张，您已领完`)
  if (!(await takeCopy(template, friend))) throw new AppError('COUPON_SOLD_OUT', '来晚了，优惠券已被领完')
  const { brand } = await loyaltyConfig()
  const window = validityWindow(template, now, brand.timeZone)
  const ids = gift ? [giftCouponId(template._id, memberId, requestId)] : Array.from({ length: Math.max(0, limit - held) }, (_, i) => couponId(template._id, memberId, held + 1 + i, friend))
  for (const _id of ids) {
    const coupon: CouponRecord = {
      _id,
      templateId: template._id,
      terms: termsOf(template),
      memberId,
      status: 'unused',
      ...window,
      source,
      sharerMemberId: sharer?.memberId ?? null,
      sharerNickname: sharer?.nickname ?? null,
      requestId,
      claimedAt: now,
      usedAt: null,
      usedIn: null,
      usedStoreId: null,
    }
    const claimed = fact('coupon_claimed', _id, now, { memberId, couponId: _id, templateId: template._id, source, sharerMemberId: coupon.sharerMemberId })
    try {
      await coupons().add({ ...coupon, ...carriedFields(claimed) })
      return coupon
    } catch (error) {
      if (!isDuplicateKey(error)) {
        await giveBackCopy(template, friend)
        throw error
      }
    }
  }
  await giveBackCopy(template, friend)
  const sameRequest = await claimedBefore(memberId, source, requestId)
  if (sameRequest) return sameRequest
  throw new AppError('COUPON_LIMIT_REACHED', `每人限领 ${limit} 张，您已领完`)
}

/**
 * Marks a coupon used by `usedIn` (a purchase or redemption id). A retry of the same use gets the
 * coupon back; any other caller finds it used.
 */
export async function useCoupon(id: string, memberId: string, usedIn: string, storeId: string, now: Date): Promise<CouponRecord> {
  const _ = database().command
  const { doc } = (await coupons()
    .where({ _id: id, memberId, status: 'unused', validFrom: _.lte(now), validTo: _.gt(now) })
    .updateAndReturn({ status: 'used', usedAt: now, usedIn, usedStoreId: storeId, usedChecked: database().command.remove() })) as { doc?: CouponRecord }
  if (doc) return doc
  const coupon = await findCoupon(id)
  if (coupon && coupon.memberId === memberId && coupon.usedIn === usedIn) return coupon
  if (!coupon || coupon.memberId !== memberId) throw new AppError('COUPON_NOT_FOUND', '未找到该会员的这张优惠券')
  throw couponRefusal(coupon, now)
}

/** Gives a used coupon back after a refund (or a failed purchase): unused if still valid, otherwise expired. */
export async function restoreCoupon(id: string, usedIn: string, now: Date): Promise<void> {
  const coupon = await findCoupon(id)
  if (!coupon || coupon.status !== 'used' || coupon.usedIn !== usedIn) return
  const status = now < new Date(coupon.validTo) ? 'unused' : 'expired'
  await coupons().where({ _id: id, status: 'used', usedIn }).update({ status, usedAt: null, usedIn: null, usedStoreId: null, restoredFrom: usedIn })
}

/** The use `usedIn` was found made: the stranded-use check (loyalty's coupon repair) need not look at this coupon again. */
export async function markUseChecked(id: string, usedIn: string, now: Date): Promise<void> {
  await coupons().where({ _id: id, status: 'used', usedIn }).update({ usedChecked: now })
}

/** A member's coupons usable now in the given channel, soonest to expire first. */
export async function usableCoupons(memberId: string, channel: 'store' | 'online', now: Date): Promise<CouponRecord[]> {
  const _ = database().command
  const { data } = await coupons()
    .where({ memberId, status: 'unused', validTo: _.gt(now) })
    .orderBy('validTo', 'asc')
    .limit(100)
    .get()
  return (data as CouponRecord[]).filter((coupon) => isUsableAt(coupon, now) && coupon.terms.usableIn.includes(channel))
}

/**
 * A coupon the system gives (welcome, birthday, a friend's outcome's reward): once per `requestId`.
 * A template that is missing, off the shelf or used up is the brand's to fix: logged, not failed.
 * Anything else (the database) is thrown, so the follower or job that gives it tries again.
 */
export async function giveCoupon(templateId: string | null, memberId: string, source: CouponSource, requestId: string, now: Date): Promise<CouponRecord | null> {
  if (!templateId) return null
  try {
    const template = await findTemplate(templateId)
    if (!template.onShelf) return null
    return await claimCoupon({ template, memberId, source, requestId, now })
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    console.error(`[coupons] could not give ${templateId} to ${memberId}: ${error.message}`)
    return null
  }
}

/** How many coupons the member holds unused (the card's 优惠券 count): one count call. */
export async function unusedCouponCount(memberId: string): Promise<number> {
  const { total } = await database().collection('coupons').where({ memberId, status: 'unused' }).count()
  return total
}
