/** The clerk's counter: record a purchase, adjust points. Every change is one ledger entry. */
import { type ActionResults, type ParsedInput, type PurchaseReceipt, PAY_METHODS } from '../../domain/contract'
import { readCounterToken, type MemberRecord } from '../../domain/membership'
import { AppError } from '../../domain/shared/errors'
import type { PointRules, Tier } from '../../domain/shared/config'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { quotePurchase, type PurchaseQuote } from '../../domain/loyalty/pricing'
import { bonusFor, checkTopupAmount } from '../../domain/loyalty/stored-value'
import { fact } from '../../domain/shared/events'
import { referenceNumber } from '../../domain/shared/reference-number'
import { businessDay } from '../../domain/shared/time'
import { carryFacts } from '../platform/events'
import { requiredSetting } from '../platform/settings'
import { loyaltyConfig } from '../platform/config-store'
import { balancesAfter, findApplied, postEntry } from './ledger'
import { findMember, storeName } from '../membership'
import type { ActionContextOf } from '../platform/handler'
import type { StaffRecord } from '../platform/staff'
import { upgradeIfEarned } from './tiers'
import { restoreCoupon, usableCoupons, useCoupon } from '../coupons'

type Results = ActionResults['staff']

const PAY_METHOD_TEXT = { cash: '现金', wechat: '微信支付', balance: '储值支付' } as const

/** The member a counter token names, and when the token ends; the token must be this clerk's and unexpired. */
export async function counterGrantMember(token: string, staff: StaffRecord, now: Date): Promise<{ member: MemberRecord; expiresAt: number }> {
  const grant = readCounterToken(token, staff._id, now.getTime(), requiredSetting('MEMBER_CODE_SECRET'))
  if (!grant) throw new AppError('COUNTER_TOKEN_EXPIRED', '会员验证已失效，请重新扫描会员码')
  const member = await findMember(grant.memberId)
  if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
  return { member, expiresAt: grant.expiresAt }
}

/** The member a counter token names; the token must be this clerk's and unexpired. */
export async function counterMember(token: string, staff: StaffRecord, now: Date): Promise<MemberRecord> {
  return (await counterGrantMember(token, staff, now)).member
}

/** Entry ids of counter actions are scoped by the clerk, so two clerks' request ids never collide. */
export function counterEntryId(kind: string, staff: StaffRecord, requestId: string): string {
  return `${kind}:${staff._id}:${requestId}`
}

type PurchaseDetail = PurchaseQuote & { payMethod: (typeof PAY_METHODS)[number]; tierId: string; couponId: string | null; couponName: string | null }

function memberTier(member: Pick<MemberRecord, 'tierId'>, tiers: Tier[]): Tier {
  return tiers.find((candidate) => candidate._id === member.tierId) ?? tiers[0]
}

/** Points and growth per yuan at this store (a store may earn at its own rate). */
function purchaseRates(rules: PointRules, storeId: string): { pointsPerYuan: number; growthPerYuan: number } {
  return { pointsPerYuan: rules.purchase.storeRates[storeId] ?? rules.purchase.pointsPerYuan, growthPerYuan: rules.purchase.growthPerYuan }
}

/**
 * 应收预览: what recordPurchase would make of this list price for this member — the tier
 * discount, then each of their store coupons (or why one cannot apply), and the points — by the
 * same quotePurchase, so the preview and the receipt cannot disagree. Nothing is written.
 */
export async function quoteCounterPurchase({ counterToken, amount }: ParsedInput<'staff', 'quotePurchase'>, staff: StaffRecord, now: Date): Promise<Results['quotePurchase']> {
  const member = await counterMember(counterToken, staff, now)
  const [{ rules, tiers }, coupons] = await Promise.all([loyaltyConfig(), usableCoupons(member._id, 'store', now)])
  const tier = memberTier(member, tiers)
  const rates = purchaseRates(rules, staff.storeId)
  const plain = quotePurchase(amount, tier, rates)
  return {
    quote: {
      listAmount: amount,
      discountPercent: tier.discountPercent,
      tierDiscount: plain.discount,
      payable: plain.payable,
      points: plain.points,
      growth: plain.growth,
      coupons: coupons
        .filter((coupon) => coupon.terms.kind !== 'gift')
        .map((coupon) => {
          if (plain.payable < coupon.terms.threshold) {
            return {
              couponId: coupon._id,
              applicable: false,
              reason: 'COUPON_BELOW_THRESHOLD',
              shortBy: coupon.terms.threshold - plain.payable,
              couponDiscount: 0,
              payable: plain.payable,
              points: plain.points,
            }
          }
          const withCoupon = quotePurchase(amount, tier, rates, coupon.terms)
          return { couponId: coupon._id, applicable: true, reason: null, shortBy: null, couponDiscount: withCoupon.couponDiscount, payable: withCoupon.payable, points: withCoupon.points }
        }),
    },
  }
}

/**
 * 记录消费. A retry of the same request id answers the first receipt and touches nothing else,
 * whatever it carries now (another amount, another coupon): the purchase's entry is looked up
 * (outbox or ledger, at any age) before the coupon is taken.
 */
export async function recordPurchase(
  { counterToken, amount, payMethod, couponId, requestId }: ParsedInput<'staff', 'recordPurchase'>,
  staff: StaffRecord,
  now: Date,
): Promise<Results['recordPurchase']> {
  const entryId = counterEntryId('purchase', staff, requestId)
  const [member, inLedger] = await Promise.all([counterMember(counterToken, staff, now), findApplied(entryId)])
  const { rules, tiers, brand } = await loyaltyConfig()
  const earlier = member.outbox?.[entryId] ?? inLedger
  if (earlier) return { receipt: await purchaseReceipt(earlier, member, staff, tiers, await balancesAfter(member, earlier)) }

  const tier = memberTier(member, tiers)
  // The coupon is taken first, marked with this purchase, so a retry finds it taken by itself.
  const coupon = couponId ? await useCoupon(couponId, member._id, entryId, staff.storeId, now) : null
  try {
    if (coupon && !coupon.terms.usableIn.includes('store')) throw new AppError('COUPON_ONLINE_ONLY', '该优惠券仅限线上使用')
    const quote = quotePurchase(amount, tier, purchaseRates(rules, staff.storeId), coupon?.terms)
    const detail: PurchaseDetail = { ...quote, payMethod, tierId: tier._id, couponId: coupon?._id ?? null, couponName: coupon?.terms.name ?? null }
    const day = businessDay(now, brand.timeZone)
    const purchased = fact('purchased', entryId, now, { memberId: member._id, entryId, storeId: staff.storeId, staffId: staff._id, payable: quote.payable, points: quote.points, businessDay: day })
    const posted = await postEntry(
      {
        _id: entryId,
        memberId: member._id,
        kind: 'purchase',
        points: quote.points,
        balance: payMethod === 'balance' ? -quote.payable : 0,
        growth: quote.growth,
        requestId,
        businessDay: day,
        createdAt: now,
        description: `门店消费 ${(quote.payable / 100).toFixed(2)} 元（${PAY_METHOD_TEXT[payMethod]}）`,
        storeId: staff.storeId,
        staffId: staff._id,
        detail: { ...detail },
      },
      // the fact rides in the same update; its followers run from the minute timer, not here
      { knownNew: true, extraUpdate: carryFacts(purchased) },
    )
    if (posted.replayed) {
      // A concurrent attempt of the same request won with its own coupon: give ours back.
      const firstCoupon = (posted.entry.detail as PurchaseDetail | undefined)?.couponId ?? null
      if (coupon && coupon._id !== firstCoupon) await restoreCoupon(coupon._id, entryId, now)
      return { receipt: await purchaseReceipt(posted.entry, posted.member, staff, tiers, await balancesAfter(posted.member, posted.entry)) }
    }
    const after = await upgradeIfEarned(posted.member, tiers, now, brand.timeZone)
    return { receipt: await purchaseReceipt(posted.entry, after, staff, tiers, { netPoints: after.points, balance: after.balance }) }
  } catch (error) {
    if (coupon) await restoreCoupon(coupon._id, entryId, now)
    throw error
  }
}

async function purchaseReceipt(entry: LedgerEntry, member: MemberRecord, staff: StaffRecord, tiers: Tier[], balances: { netPoints: number; balance: number }): Promise<PurchaseReceipt> {
  const detail = entry.detail as unknown as PurchaseDetail
  const tierName = (id: string) => tiers.find((candidate) => candidate._id === id)?.name ?? id
  return {
    purchaseId: entry._id,
    receiptNo: referenceNumber(entry._id, entry.businessDay),
    memberNo: member.memberNo,
    nickname: member.nickname,
    storeId: staff.storeId,
    storeName: await storeName(staff.storeId),
    staffName: staff.name,
    listAmount: detail.listAmount,
    discountPercent: detail.discountPercent,
    discount: detail.discount,
    payable: detail.payable,
    payMethod: detail.payMethod,
    coupon: detail.couponId ? { couponId: detail.couponId, name: detail.couponName ?? '', discount: detail.couponDiscount } : null,
    pointsEarned: entry.points,
    growthEarned: entry.growth,
    pointsAfter: balances.netPoints,
    balanceAfter: balances.balance,
    tierBefore: tierName(detail.tierId),
    tierAfter: tierName(member.tierId),
    createdAt: new Date(entry.createdAt).toISOString(),
  }
}

/** Store managers only: the contract declares it so and the router admits no one else (the staff type says so too). */
export async function adjustPoints(
  { counterToken, points, reason, requestId }: ParsedInput<'staff', 'adjustPoints'>,
  staff: ActionContextOf<'staff', 'adjustPoints'>['staff'],
  now: Date,
): Promise<Results['adjustPoints']> {
  const [member, { brand, rules }] = await Promise.all([counterMember(counterToken, staff, now), loyaltyConfig()])
  const max = rules.adjustment.maxPoints
  if (Math.abs(points) > max) throw new AppError('ADJUSTMENT_TOO_LARGE', `单次调整不能超过 ${max} 积分`, [{ path: 'points', message: `at most ${max} either way (pointRules.adjustment.maxPoints)` }])
  const posted = await postEntry({
    _id: counterEntryId('adjust', staff, requestId),
    memberId: member._id,
    kind: 'adjust',
    points,
    balance: 0,
    growth: 0,
    requestId,
    businessDay: businessDay(now, brand.timeZone),
    createdAt: now,
    description: `积分调整：${reason}`,
    storeId: staff.storeId,
    staffId: staff._id,
    detail: { reason },
  })
  const netPoints = posted.replayed ? (await balancesAfter(posted.member, posted.entry)).netPoints : posted.member.points - posted.member.pointsOwed
  return {
    entryId: posted.entry._id,
    change: posted.entry.points,
    pointsAfter: posted.replayed ? Math.max(0, netPoints) : posted.member.points,
    pointsOwedAfter: posted.replayed ? Math.max(0, -netPoints) : posted.member.pointsOwed,
  }
}

/** 储值充值 at the counter, paid in cash or by WeChat Pay at the till, with the bonus rule. */
export async function topup({ counterToken, amount, payMethod, requestId }: ParsedInput<'staff', 'topup'>, staff: StaffRecord, now: Date): Promise<Results['topup']> {
  const member = await counterMember(counterToken, staff, now)
  const { storedValue, brand } = await loyaltyConfig()
  checkTopupAmount(amount, storedValue)
  const bonus = bonusFor(amount, storedValue)
  const posted = await postEntry({
    _id: counterEntryId('topup', staff, requestId),
    memberId: member._id,
    kind: 'topup',
    points: 0,
    balance: amount + bonus,
    growth: 0,
    requestId,
    businessDay: businessDay(now, brand.timeZone),
    createdAt: now,
    description: bonus > 0 ? `门店充值 ${amount / 100} 元，赠送 ${bonus / 100} 元` : `门店充值 ${amount / 100} 元`,
    storeId: staff.storeId,
    staffId: staff._id,
    detail: { amount, bonus, channel: payMethod },
  })
  const first = posted.entry
  const paid = first.detail as { amount: number; bonus: number }
  return {
    topup: {
      entryId: first._id,
      amount: paid.amount,
      bonus: paid.bonus,
      balanceAfter: posted.replayed ? (await balancesAfter(posted.member, first)).balance : posted.member.balance,
      createdAt: new Date(first.createdAt).toISOString(),
    },
  }
}
