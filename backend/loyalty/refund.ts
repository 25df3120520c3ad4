/**
 * A refund reverses exactly what its purchase did: stored value back if paid by balance,
 * the earned points and growth clawed back. Points the member already spent become points
 * owed (repaid first from future earnings); spendable points never go negative.
 */
import { referenceNumber } from '../../domain/shared/reference-number'
import type { ActionResults, ParsedInput } from '../../domain/contract'
import { AppError } from '../../domain/shared/errors'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { fact } from '../../domain/shared/events'
import { businessDay } from '../../domain/shared/time'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { carryFacts } from '../platform/events'
import { postEntry } from '../loyalty/ledger'
import { findMember } from '../membership'
import type { StaffRecord } from '../platform/staff'
import { restoreCoupon } from '../coupons'

type Results = ActionResults['staff']

export async function refundPurchase({ purchaseId, requestId }: ParsedInput<'staff', 'refundPurchase'>, staff: StaffRecord, now: Date): Promise<Results['refundPurchase']> {
  const { data } = await database().collection('ledger').doc(purchaseId).get()
  const purchase = data[0] as LedgerEntry | undefined
  if (!purchase || purchase.kind !== 'purchase') throw new AppError('PURCHASE_NOT_FOUND', '未找到这笔消费')
  if (purchase.storeId !== staff.storeId && staff.role !== 'admin') throw new AppError('REFUND_OTHER_STORE', '只能在消费门店办理退款')
  const member = await findMember(purchase.memberId)
  if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
  const { brand } = await loyaltyConfig()
  const refundId = `refund:${purchase._id}`
  const day = businessDay(now, brand.timeZone)
  const payable = Number((purchase.detail as { payable?: number } | undefined)?.payable ?? 0)
  const refunded = fact('refunded', refundId, now, { memberId: member._id, entryId: refundId, purchaseId: purchase._id, storeId: staff.storeId, staffId: staff._id, payable, businessDay: day })
  const posted = await postEntry(
    {
      _id: refundId,
      memberId: member._id,
      kind: 'refund',
      points: -purchase.points,
      allowOwing: true,
      lotYear: Number(purchase.businessDay.slice(0, 4)),
      balance: -purchase.balance,
      growth: -Math.min(purchase.growth, member.growth),
      requestId,
      businessDay: day,
      createdAt: now,
      description: `消费退款（原单 ${purchase.businessDay}）`,
      storeId: staff.storeId,
      staffId: staff._id,
      reverses: purchase._id,
      detail: { pointsOwedBefore: member.pointsOwed, payable, payMethod: (purchase.detail as { payMethod?: string } | undefined)?.payMethod ?? null },
    },
    { allowInactive: true, extraUpdate: carryFacts(refunded) },
  )
  if (posted.replayed && posted.entry.requestId !== requestId) throw new AppError('ALREADY_REFUNDED', '这笔消费已经退过款了')
  const refund = posted.entry
  const owedBefore = Number((refund.detail as { pointsOwedBefore?: number } | undefined)?.pointsOwedBefore ?? 0)
  const usedCoupon = (purchase.detail as { couponId?: string | null } | undefined)?.couponId
  if (usedCoupon) await restoreCoupon(usedCoupon, purchase._id, now)
  const after = posted.member
  return {
    refund: {
      refundId: refund._id,
      refundNo: referenceNumber(refund._id, refund.businessDay),
      purchaseId: purchase._id,
      balanceReturned: refund.balance,
      pointsClawedBack: -refund.points,
      pointsOwedAdded: Math.max(0, after.pointsOwed - owedBefore),
      growthClawedBack: -refund.growth,
      pointsAfter: after.points,
      pointsOwedAfter: after.pointsOwed,
      balanceAfter: after.balance,
      growthAfter: after.growth,
      createdAt: new Date(refund.createdAt).toISOString(),
    },
  }
}
