/**
 * The minute timer's sweeps, each a job of the runner that runs when it has work: unpaid orders of
 * every kind past `payBy` (mall orders by the mall's rule, which also frees the member's limit),
 * the promotion sweeps (backend/promo/promo-jobs.ts), the mall's stale stock holds and coupons
 * left used by a counter purchase that died half way (backend/loyalty/stranded-coupons.ts), and
 * purchase rewards whose return window has passed (backend/social/reward-locks.ts).
 */
import type { OrderRecord } from '../../domain/orders'
import { strandedCouponsJob } from '../loyalty'
import { closeExpiredMallOrder, staleHoldsJob } from '../mall'
import { releaseUnpaidOrder } from '../orders'
import { database } from '../platform/cloud'
import { outcome, type Job } from '../platform/job-runner'
import { PROMO_SWEEPS } from '../promo'
import { rewardUnlocksJob } from '../social'
import { ORDER_KINDS } from './order-kinds'

/** Unpaid orders past their deadline: marked paid when their payment entries cover them, otherwise closed with everything given back. */
export const unpaidOrdersJob: Job<Record<string, never>> = {
  name: 'orders-unpaid',
  collection: 'orders',
  where: (_params, now) => ({ status: 'created', payBy: database().command.lte(now) }),
  fields: 'all',
  async work(document, _params, now) {
    const order = document as unknown as OrderRecord
    const released = order.kind === 'mall' ? await closeExpiredMallOrder(order, now, ORDER_KINDS) : await releaseUnpaidOrder(order, now, ORDER_KINDS)
    return outcome(released, released === 'skipped' ? 0 : 1)
  },
}

/**
 * The minute's sweeps in two waves: the first changes orders and seats (an unpaid leader's order
 * released fails its group), the second finishes groups, so one minute sees a group through.
 */
export const SWEEP_WAVES: Job<Record<string, never>>[][] = [
  [unpaidOrdersJob, PROMO_SWEEPS.cancelledSeats, PROMO_SWEEPS.paidSeats, staleHoldsJob, strandedCouponsJob, rewardUnlocksJob],
  [PROMO_SWEEPS.expiredGroups, PROMO_SWEEPS.failedGroups, PROMO_SWEEPS.succeededGroups],
]

export const SWEEPS = SWEEP_WAVES.flat()
