/**
 * A counter purchase takes its coupon first (marked with the purchase's entry id) and then posts
 * the entry; an invocation that died between the two leaves the coupon used by a purchase that
 * never happened. This sweep looks once at every coupon used more than STRANDED_AFTER_MS ago (a
 * purchase takes seconds): if its entry exists (ledger or the member's outbox) the use is marked
 * checked, otherwise the coupon is given back (unused while valid, else expired).
 */
import { database } from '../platform/cloud'
import { outcome, type Job } from '../platform/job-runner'
import { findMember } from '../membership'
import { markUseChecked, restoreCoupon } from '../coupons'
import { findApplied } from './ledger'

export const STRANDED_AFTER_MS = 30 * 60_000

export const strandedCouponsJob: Job<Record<string, never>> = {
  name: 'coupons-stranded',
  collection: 'coupons',
  where: (_params, now) => {
    const _ = database().command
    return { status: 'used', usedAt: _.lte(new Date(now.getTime() - STRANDED_AFTER_MS)), usedChecked: _.exists(false) }
  },
  fields: { memberId: true, usedIn: true },
  async work(coupon, _params, now) {
    const usedIn = String(coupon.usedIn)
    const applied = (await findApplied(usedIn)) ?? (await findApplied(usedIn, await findMember(String(coupon.memberId))))
    if (applied) {
      await markUseChecked(coupon._id, usedIn, now)
      return outcome('kept')
    }
    await restoreCoupon(coupon._id, usedIn, now)
    return outcome('restored', 1)
  },
}
