import type { CouponRecord } from '../../domain/coupons/coupon'
import { formatInstant } from '../../domain/shared/time'
import { database } from '../platform/cloud'
import { queueMessage } from '../platform/messages'

export const REMIND_BEFORE_MS = 3 * 86_400_000

/** Queues one expiry reminder for every unused coupon that expires within three days. */
export async function queueCouponExpiryReminders(now: Date, timeZone: string): Promise<{ queued: number }> {
  const _ = database().command
  let queued = 0
  for (;;) {
    const { data } = await database()
      .collection('coupons')
      .where({ status: 'unused', validTo: _.gt(now).and(_.lte(new Date(now.getTime() + REMIND_BEFORE_MS))), reminderQueuedAt: _.exists(false) })
      .limit(1000)
      .get()
    for (const coupon of data as CouponRecord[]) {
      const added = await queueMessage({
        _id: `coupon-expiry:${coupon._id}`,
        memberId: coupon.memberId,
        template: 'coupon_expiry',
        page: 'pages/card/index',
        data: { name: coupon.terms.name, validTo: formatInstant(coupon.validTo, timeZone) },
        status: 'pending',
        createdAt: now,
      })
      if (added) queued++
      await database().collection('coupons').doc(coupon._id).update({ reminderQueuedAt: now })
    }
    if (data.length < 1000) return { queued }
  }
}
