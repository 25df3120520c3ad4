/**
 * The promotion sweeper's job bodies, for a minute-level timer:
 *
 *  - releaseUnpaidOrders(now, kinds) (backend/orders/release.ts): every order (mall, flash, group-buy) still `created` after its
 *    `payBy` is closed with closeOrder — its unit goes back to stock once, whatever took from the
 *    ledger comes back. If the order's payment entries `order-pay:<id>` (points) and `order-cash:<id>`
 *    (stored value) — in the ledger, or still only in the member's outbox — cover it, the member did pay
 *    and only the transition was lost: the order is marked paid instead. A group-buy order that is
 *    closed unpaid gives its seat back.
 *  - failExpiredGroups(now): open groups past expiresAt become failed (`where({ status: 'open' })`,
 *    one winner); every failed group not yet refunded has each participant's order closed with
 *    closeOrder (refunded if paid, cancelled if not; idempotent), each participant notified once,
 *    and only then gets `refundedAt` — so a run cut short (crash, time limit) is finished by the next.
 *  - releaseSeatsOfCancelledOrders(now): group-buy orders cancelled elsewhere (order.cancel) give
 *    their seat back, so the group can still fill.
 *  - countPaidSeats(now): paid orders of open groups that were not counted on their group (an
 *    after-paid step cut short, a payment path unaware of groups) are counted.
 *  - notifySucceededGroups(now): successful groups whose notices were cut short get them (once each).
 *
 * Everything is guarded or idempotent by id: safe to run twice, concurrently, or after a crash.
 * Each pages by _id (≤ 1000 a page), works a page with bounded concurrency and stops starting
 * pages at the invocation's deadline; what it did not reach stays in the next run's query.
 */
import { AppError } from '../../domain/shared/errors'
import type { GroupRecord } from '../../domain/promo/group-buy'
import type { OrderRecord } from '../../domain/orders'
import { database } from '../platform/cloud'
import { giveSeatBack, notifyOnce, onGroupOrderPaid } from './group-buy'
import { closeOrder, findOrder, releaseUnpaidOrders, type OrderKinds, type ReleaseRun } from '../orders'
import { CONCURRENCY, forEachPage, mapLimit, type RunLimits } from '../platform/jobs'

// ---------------------------------------------------------------------------------------------
// Unpaid orders

// ---------------------------------------------------------------------------------------------
// Groups

export interface GroupSweepRun {
  /** open groups this run moved to failed */
  failed: number
  /** failed groups whose every order is now closed */
  refundedGroups: number
  /** participant orders closed (refunded or cancelled) by this run, counting repeats as closed once */
  closedOrders: number
  notices: number
  errors: number
  complete: boolean
}

const REFUND_REASON = '拼团失败，自动退款'

/**
 * Brings an order of a failed group to its closed state and finishes every step of closing it
 * (ledger refund, WeChat refund, stock), however far an earlier run got. A payment racing with
 * this moves the order under us: read it again and close what it became.
 */
export async function closeForFailedGroup(orderId: string, now: Date): Promise<OrderRecord | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const order = await findOrder(orderId)
    if (!order) return null
    // closeOrder moves created → cancelled and paid/fulfilled → refunded; given an order already
    // closed (as it was before its move), it finds the move made and finishes the remaining steps.
    const asBefore: OrderRecord = order.status === 'cancelled' ? { ...order, status: 'created' } : order.status === 'refunded' ? { ...order, status: 'paid' } : order
    try {
      return await closeOrder(asBefore, REFUND_REASON, 'system', now)
    } catch (error) {
      if (!(error instanceof AppError && (error.code === 'FAILED_PRECONDITION' || error.code === 'ABORTED'))) throw error
    }
  }
  throw new Error(`order ${orderId} kept changing while its group was refunded`)
}

async function refundGroup(group: GroupRecord, now: Date, run: GroupSweepRun): Promise<void> {
  for (const participant of group.participants) {
    const closed = await closeForFailedGroup(participant.orderId, now)
    if (closed) run.closedOrders++
    if (await notifyOnce(group, participant, 'failed', now)) run.notices++
  }
  const { updated } = await database().collection('groups').where({ _id: group._id, status: 'failed', refundedAt: null }).update({ refundedAt: now })
  if (updated === 1) run.refundedGroups++
}

export async function failExpiredGroups(now: Date, limits: RunLimits = {}): Promise<GroupSweepRun> {
  const _ = database().command
  const groups = () => database().collection('groups')
  const run: GroupSweepRun = { failed: 0, refundedGroups: 0, closedOrders: 0, notices: 0, errors: 0, complete: true }
  const expired = await forEachPage<GroupRecord>(
    'groups',
    { status: 'open', expiresAt: _.lte(now) },
    async (page) => {
      await mapLimit(page, CONCURRENCY, async (group) => {
        try {
          const { updated } = await groups()
            .where({ _id: group._id, status: 'open', expiresAt: _.lte(now) })
            .update({ status: 'failed', failedAt: now })
          if (updated === 1) run.failed++
        } catch (error) {
          run.errors++
          console.error(`[promo-jobs] fail group ${group._id}`, error)
        }
      })
    },
    limits,
  )
  const refunded = await forEachPage<GroupRecord>(
    'groups',
    { status: 'failed', refundedAt: null },
    async (page) => {
      await mapLimit(page, CONCURRENCY, async (group) => {
        try {
          await refundGroup(group, now, run)
        } catch (error) {
          run.errors++
          console.error(`[promo-jobs] refund group ${group._id}`, error)
        }
      })
    },
    limits,
  )
  run.complete = expired && refunded
  return run
}

export interface NoticeRun {
  groups: number
  notices: number
  errors: number
  complete: boolean
}

/** Successful groups whose success notices were cut short (a crash after the success update). */
export async function notifySucceededGroups(now: Date, limits: RunLimits = {}): Promise<NoticeRun> {
  const run: NoticeRun = { groups: 0, notices: 0, errors: 0, complete: true }
  run.complete = await forEachPage<GroupRecord>(
    'groups',
    { status: 'success', notifiedAt: null },
    async (page) => {
      await mapLimit(page, CONCURRENCY, async (group) => {
        try {
          for (const participant of group.participants) if (await notifyOnce(group, participant, 'success', now)) run.notices++
          const { updated } = await database().collection('groups').where({ _id: group._id, notifiedAt: null }).update({ notifiedAt: now })
          if (updated === 1) run.groups++
        } catch (error) {
          run.errors++
          console.error(`[promo-jobs] notify group ${group._id}`, error)
        }
      })
    },
    limits,
  )
  return run
}

export interface SeatRun {
  /** cancelled group-buy orders whose seat was given back (or found given back) */
  seats: number
  errors: number
  complete: boolean
}

/**
 * Group-buy orders cancelled elsewhere (order.cancel by the member) give their seat back here,
 * within a minute; orders closed by this module have done it already and are marked.
 */
export async function releaseSeatsOfCancelledOrders(now: Date, limits: RunLimits = {}): Promise<SeatRun> {
  const run: SeatRun = { seats: 0, errors: 0, complete: true }
  run.complete = await forEachPage<OrderRecord>(
    'orders',
    { kind: 'groupbuy', status: 'cancelled', seatReleasedAt: null },
    async (orders) => {
      await mapLimit(orders, CONCURRENCY, async (order) => {
        try {
          await giveSeatBack(order, now)
          run.seats++
        } catch (error) {
          run.errors++
          console.error(`[promo-jobs] seat of ${order._id}`, error)
        }
      })
    },
    limits,
  )
  return run
}

export interface PaidSeatRun {
  /** open groups with a seat whose payment was not counted yet */
  checked: number
  /** paid orders counted on their group by this run */
  counted: number
  errors: number
  complete: boolean
}

/**
 * Counts paid orders on open groups that missed it — a payment whose after-paid step was cut
 * short, or a WeChat payment marked paid by a path that does not know about groups — so the
 * group succeeds (or lets friends join, for the leader) within a minute instead of failing.
 */
export async function countPaidSeats(now: Date, limits: RunLimits = {}): Promise<PaidSeatRun> {
  const _ = database().command
  const run: PaidSeatRun = { checked: 0, counted: 0, errors: 0, complete: true }
  run.complete = await forEachPage<GroupRecord>(
    'groups',
    { status: 'open', expiresAt: _.gt(now) },
    async (page) => {
      const behind = page.filter((group) => group.paidCount < group.count)
      await mapLimit(behind, CONCURRENCY, async (group) => {
        try {
          run.checked++
          const uncounted = group.participants.map((participant) => participant.orderId).filter((orderId) => !group.paidOrders.includes(orderId))
          const { data } = await database()
            .collection('orders')
            .where({ _id: _.in(uncounted), status: 'paid' })
            .get()
          for (const order of data as OrderRecord[]) {
            await onGroupOrderPaid(order, now)
            run.counted++
          }
        } catch (error) {
          run.errors++
          console.error(`[promo-jobs] paid seats of ${group._id}`, error)
        }
      })
    },
    limits,
  )
  return run
}

export interface PromoSweep {
  at: string
  release: ReleaseRun
  seats: SeatRun
  paidSeats: PaidSeatRun
  groups: GroupSweepRun
  notices: NoticeRun
}

/** Everything the minute-level promotion timer does, in order. */
export async function runPromoSweep(now: Date, kinds: OrderKinds, limits: RunLimits = {}): Promise<PromoSweep> {
  const release = await releaseUnpaidOrders(now, kinds, limits)
  const seats = await releaseSeatsOfCancelledOrders(now, limits)
  const paidSeats = await countPaidSeats(now, limits)
  const groups = await failExpiredGroups(now, limits)
  const notices = await notifySucceededGroups(now, limits)
  return { at: now.toISOString(), release, seats, paidSeats, groups, notices }
}
