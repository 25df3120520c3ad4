/**
 * 生日礼: on a member's birthday (Asia/Shanghai) the nightly job gives the tier's birthday
 * points and the configured birthday coupon, once a year (ids derived from member and year).
 * Members born on 29 February celebrate on the 28th in other years.
 */
import type { Tier } from '../../domain/shared/config'
import { birthdaysOn, type MemberRecord } from '../../domain/membership'
import { database } from '../platform/cloud'
import { giveCoupon } from '../coupons'
import { postEntry } from './ledger'

/** One member's birthday gifts of `day`'s year: the points and the coupon, each once. How many were given now. */
export async function giveBirthdayGifts(member: Pick<MemberRecord, '_id' | 'tierId'>, day: string, tiers: Tier[], couponTemplateId: string | null, now: Date): Promise<number> {
  const year = day.slice(0, 4)
  let given = 0
  const points = tiers.find((tier) => tier._id === member.tierId)?.birthdayGiftPoints ?? 0
  if (points > 0) {
    const posted = await postEntry({
      _id: `birthday:${member._id}:${year}`,
      memberId: member._id,
      kind: 'grant',
      points,
      balance: 0,
      growth: 0,
      requestId: `birthday-${year}`,
      businessDay: day,
      createdAt: now,
      description: '生日礼积分',
    })
    if (!posted.replayed) given++
  }
  const coupon = await giveCoupon(couponTemplateId, member._id, 'birthday', `birthday-${year}`, now)
  if (coupon && new Date(coupon.claimedAt).getTime() === now.getTime()) given++
  return given
}

/** The members whose birthday is `day` (Asia/Shanghai; 29 February on the 28th in other years), by the birthday index. */
export function birthdayMembers(day: string): Record<string, unknown> {
  return { birthdayMonthDay: database().command.in(birthdaysOn(day)), status: 'active' }
}
