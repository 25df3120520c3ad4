/**
 * Coupons (优惠券) and friend coupons (朋友券): templates are configuration; a claimed coupon is a
 * document whose id is a per-member slot of its template, so the database's `_id` uniqueness
 * enforces per-member limits. Discounts are integer fen, rounded once here.
 */
import { imageSchema } from '../shared/config'
import dayjs from 'dayjs'
import { z } from 'zod'
import type { CouponTemplateView, CouponView } from '../contract/trade'
import { AppError } from '../shared/errors'
import { DEFAULT_TIME_ZONE } from '../shared/time'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

export const couponTemplateSchema = z
  .object({
    _id: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'must be a short id of letters, digits, _ and -'),
    name: z.string().min(1).max(30),
    kind: z.enum(['cash', 'discount', 'gift']),
    /** cash: fen off; discount: percent paid (85 = 8.5折); gift: 0 */
    value: z.number().int().min(0),
    threshold: z.number().int().min(0).default(0),
    giftName: z.string().max(30).nullable().default(null),
    /** a picture of what the coupon gives (a gift's product); shown on the ticket */
    image: imageSchema,
    validity: z.discriminatedUnion('type', [
      z.object({ type: z.literal('fixed'), from: day, to: day }).strict(),
      z.object({ type: z.literal('relative'), days: z.number().int().min(1).max(3650) }).strict(),
    ]),
    perMemberLimit: z.number().int().min(1).max(100),
    /** copies in all; taken counts those issued */
    total: z.number().int().min(1),
    taken: z.number().int().min(0).default(0),
    audience: z
      .object({ tiers: z.array(z.string()).default([]), tags: z.array(z.string()).default([]) })
      .strict()
      .default({}),
    usableIn: z.array(z.enum(['online', 'store'])).min(1),
    /** shown in the coupon centre for members to claim */
    claimable: z.boolean().default(true),
    onShelf: z.boolean().default(true),
    friend: z
      .object({
        /** friends who may claim through one member's share */
        perSharer: z.number().int().min(1),
        /** friend copies one member may hold */
        perFriend: z.number().int().min(1),
        /** friend copies in all */
        budget: z.number().int().min(1),
      })
      .strict()
      .nullable()
      .default(null),
    friendTaken: z.number().int().min(0).default(0),
  })
  .passthrough()
  .superRefine((template, context) => {
    if (template.kind === 'discount' && (template.value < 10 || template.value > 99)) {
      context.addIssue({ code: 'custom', path: ['value'], message: 'a discount coupon pays 10–99 percent' })
    }
    if (template.kind === 'cash' && template.value < 1) context.addIssue({ code: 'custom', path: ['value'], message: 'a cash coupon takes at least 1 fen off' })
    if (template.kind === 'gift' && !template.giftName) context.addIssue({ code: 'custom', path: ['giftName'], message: 'a gift coupon names its gift' })
    if (template.validity.type === 'fixed' && template.validity.from > template.validity.to) {
      context.addIssue({ code: 'custom', path: ['validity', 'to'], message: 'must not be before from' })
    }
  })
export type CouponTemplate = z.infer<typeof couponTemplateSchema>

export type CouponSource = CouponView['source']

/**
 * The terms of a coupon, fixed when it is claimed (later template edits do not change a claimed
 * coupon). `friend`: the template was a friend coupon (朋友券); coupons claimed before it was
 * recorded lack it and count as not.
 */
export type CouponTerms = Pick<CouponTemplate, 'name' | 'kind' | 'value' | 'threshold' | 'giftName' | 'usableIn'> & { friend?: boolean }

export function termsOf(template: CouponTemplate): CouponTerms {
  const { name, kind, value, threshold, giftName, usableIn } = template
  return { name, kind, value, threshold, giftName, usableIn, friend: template.friend !== null }
}

export interface CouponRecord {
  _id: string
  templateId: string
  terms: CouponTerms
  memberId: string
  status: 'unused' | 'used' | 'expired'
  validFrom: Date
  validTo: Date
  source: CouponSource
  /** the member whose share this friend coupon came through */
  sharerMemberId: string | null
  sharerNickname: string | null
  requestId: string
  claimedAt: Date
  usedAt: Date | null
  /** the purchase (ledger entry id) or redemption that used it */
  usedIn: string | null
  usedStoreId: string | null
}

export function couponId(templateId: string, memberId: string, slot: number, friend = false): string {
  return `${templateId}:${memberId}:${friend ? 'f' : ''}${slot}`
}

/** Valid from the start of the claim day (or the fixed start) to the end of the last day, in the brand's time zone. */
export function validityWindow(template: Pick<CouponTemplate, 'validity'>, claimedAt: Date, timeZone = DEFAULT_TIME_ZONE): { validFrom: Date; validTo: Date } {
  if (template.validity.type === 'fixed') {
    return {
      validFrom: dayjs.tz(template.validity.from, timeZone).startOf('day').toDate(),
      validTo: dayjs.tz(template.validity.to, timeZone).add(1, 'day').startOf('day').toDate(),
    }
  }
  const start = dayjs(claimedAt).tz(timeZone).startOf('day')
  return { validFrom: claimedAt, validTo: start.add(template.validity.days, 'day').toDate() }
}

export function isUsableAt(coupon: Pick<CouponRecord, 'status' | 'validFrom' | 'validTo'>, now: Date): boolean {
  return coupon.status === 'unused' && new Date(coupon.validFrom) <= now && now < new Date(coupon.validTo)
}

/** Why a coupon is not usable now (isUsableAt is false): used, expired, or not valid yet. */
export function couponRefusal(coupon: Pick<CouponRecord, 'status' | 'validFrom' | 'validTo'>, now: Date): AppError {
  if (coupon.status === 'used') return new AppError('COUPON_USED', '优惠券已使用')
  if (coupon.status === 'expired' || now >= new Date(coupon.validTo)) return new AppError('COUPON_EXPIRED', '优惠券已过期')
  return new AppError('COUPON_UNUSABLE', '优惠券尚未到使用时间')
}

/** Who may claim: tiers and tags of the audience, empty meaning everyone. */
export function inAudience(template: Pick<CouponTemplate, 'audience'>, member: { tierId: string; tags: string[] }): boolean {
  const { tiers, tags } = template.audience
  return (tiers.length === 0 || tiers.includes(member.tierId)) && (tags.length === 0 || tags.some((tag) => member.tags.includes(tag)))
}

/**
 * The discount a coupon gives on an amount (after the tier discount). Cash coupons take off at
 * most the amount; discount coupons round the price paid down to the fen; gifts take nothing off.
 */
export function couponDiscount(template: Pick<CouponTemplate, 'kind' | 'value' | 'threshold'>, amount: number): number {
  if (amount < template.threshold) throw new AppError('COUPON_BELOW_THRESHOLD', `未满 ${(template.threshold / 100).toFixed(2)} 元，不能使用该优惠券`)
  if (template.kind === 'cash') return Math.min(template.value, amount)
  if (template.kind === 'discount') return amount - Math.floor((amount * template.value) / 100)
  return 0
}

function validityText(template: CouponTemplate): string {
  return template.validity.type === 'fixed' ? `${template.validity.from} 至 ${template.validity.to}` : `领取后 ${template.validity.days} 天内有效`
}

export function toTemplateView(template: CouponTemplate, claimedByMe: number): CouponTemplateView {
  return {
    templateId: template._id,
    name: template.name,
    kind: template.kind,
    value: template.value,
    threshold: template.threshold,
    giftName: template.giftName,
    image: template.image,
    validityText: validityText(template),
    usableIn: template.usableIn,
    remaining: Math.max(0, template.total - template.taken),
    perMemberLimit: template.perMemberLimit,
    claimedByMe,
    isFriendCoupon: template.friend !== null,
  }
}

export function toCouponView(coupon: CouponRecord, now: Date): CouponView {
  const template = coupon.terms
  const expired = coupon.status === 'expired' || (coupon.status === 'unused' && now >= new Date(coupon.validTo))
  return {
    couponId: coupon._id,
    templateId: coupon.templateId,
    name: template.name,
    kind: template.kind,
    value: template.value,
    threshold: template.threshold,
    giftName: template.giftName,
    status: expired ? 'expired' : coupon.status,
    validFrom: new Date(coupon.validFrom).toISOString(),
    validTo: new Date(coupon.validTo).toISOString(),
    usableIn: template.usableIn,
    source: coupon.source,
    sharedBy: coupon.sharerNickname,
    usedAt: coupon.usedAt ? new Date(coupon.usedAt).toISOString() : null,
    isFriendCoupon: template.friend === true,
  }
}
