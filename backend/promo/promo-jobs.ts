/**
 * The promotion sweeps, jobs of the job runner (backend/platform/job-runner.ts) that the minute
 * timer starts when they have work (startSweep):
 *
 *  - groups-expired: open groups past expiresAt become failed (`where({ status: 'open' })`, one
 *    winner) and are refunded at once: each participant's order closed with closeOrder (refunded if
 *    paid, cancelled if not; idempotent), each participant notified once, and only then the group
 *    gets `refundedAt`.
 *  - groups-refund: failed groups not refunded yet (a refund cut short by a crash or a limit).
 *  - group-seats: group-buy orders cancelled elsewhere (order.cancel) give their seat back, so the
 *    group can still fill.
 *  - group-paid-seats: paid orders of open groups that were not counted on their group (an
 *    after-paid step cut short, a payment path unaware of groups) are counted.
 *  - groups-notify: successful groups whose notices were cut short get them (once each).
 *
 * Unpaid orders of every kind are released by the orders sweep (backend/compositions/sweeps.ts).
 * Everything is guarded or idempotent by id: safe to run twice, concurrently, or after a crash.
 */
import { AppError } from '../../domain/shared/errors'
import type { GroupRecord } from '../../domain/promo/group-buy'
import type { OrderRecord } from '../../domain/orders'
import { database } from '../platform/cloud'
import { giveSeatBack, notifyOnce, onGroupOrderPaid } from './group-buy'
import { closeOrder, findOrder, markGroupFormed } from '../orders'
import type { Job } from '../platform/job-runner'

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

interface GroupTally {
  closedOrders: number
  notices: number
  refundedGroups: number
}

async function refundGroup(group: GroupRecord, now: Date): Promise<GroupTally> {
  const tally: GroupTally = { closedOrders: 0, notices: 0, refundedGroups: 0 }
  for (const participant of group.participants) {
    const closed = await closeForFailedGroup(participant.orderId, now)
    if (closed) tally.closedOrders++
    if (await notifyOnce(group, participant, 'failed', now)) tally.notices++
  }
  const { updated } = await database().collection('groups').where({ _id: group._id, status: 'failed', refundedAt: null }).update({ refundedAt: now })
  if (updated === 1) tally.refundedGroups++
  return tally
}

const groupResult = (changed: number, outcomes: Record<string, number>) => ({ changed, outcomes })

export const expiredGroupsJob: Job<Record<string, never>> = {
  name: 'groups-expired',
  collection: 'groups',
  where: (_params, now) => ({ status: 'open', expiresAt: database().command.lte(now) }),
  fields: 'all',
  async work(document, _params, now) {
    const group = document as unknown as GroupRecord
    const { updated } = await database()
      .collection('groups')
      .where({ _id: group._id, status: 'open', expiresAt: database().command.lte(now) })
      .update({ status: 'failed', failedAt: now })
    if (updated !== 1) return 0
    const tally = await refundGroup({ ...group, status: 'failed' }, now)
    return groupResult(1, { failed: 1, ...tally })
  },
}

export const failedGroupsJob: Job<Record<string, never>> = {
  name: 'groups-refund',
  collection: 'groups',
  where: () => ({ status: 'failed', refundedAt: null }),
  fields: 'all',
  async work(document, _params, now) {
    const tally = await refundGroup(document as unknown as GroupRecord, now)
    return groupResult(tally.refundedGroups, { ...tally })
  },
}

/** Successful groups whose success notices were cut short (a crash after the success update). */
export const succeededGroupsJob: Job<Record<string, never>> = {
  name: 'groups-notify',
  collection: 'groups',
  where: () => ({ status: 'success', notifiedAt: null }),
  fields: 'all',
  async work(document, _params, now) {
    const group = document as unknown as GroupRecord
    await markGroupFormed(group._id, now)
    let notices = 0
    for (const participant of group.participants) if (await notifyOnce(group, participant, 'success', now)) notices++
    const { updated } = await database().collection('groups').where({ _id: group._id, notifiedAt: null }).update({ notifiedAt: now })
    return groupResult(updated === 1 ? 1 : 0, { notices })
  },
}

/**
 * Group-buy orders cancelled elsewhere (order.cancel by the member) give their seat back here,
 * within a minute; orders closed by this module have done it already and are marked.
 */
export const cancelledSeatsJob: Job<Record<string, never>> = {
  name: 'group-seats',
  collection: 'orders',
  where: () => ({ kind: 'groupbuy', status: 'cancelled', seatReleasedAt: null }),
  fields: 'all',
  async work(document, _params, now) {
    await giveSeatBack(document as unknown as OrderRecord, now)
    return groupResult(1, { seats: 1 })
  },
}

/**
 * Counts paid orders on open groups that missed it — a payment whose after-paid step was cut
 * short, or a WeChat payment marked paid by a path that does not know about groups — so the
 * group succeeds (or lets friends join, for the leader) within a minute instead of failing.
 * Open groups within their time are what the day's group-buying holds, not the member count.
 */
export const paidSeatsJob: Job<Record<string, never>> = {
  name: 'group-paid-seats',
  collection: 'groups',
  where: (_params, now) => ({ status: 'open', expiresAt: database().command.gt(now) }),
  fields: 'all',
  async work(document, _params, now) {
    const group = document as unknown as GroupRecord
    if (group.paidCount >= group.count) return 0
    const uncounted = group.participants.map((participant) => participant.orderId).filter((orderId) => !group.paidOrders.includes(orderId))
    const { data } = await database()
      .collection('orders')
      .where({ _id: database().command.in(uncounted), status: 'paid' })
      .get()
    for (const order of data as OrderRecord[]) await onGroupOrderPaid(order, now)
    return groupResult(data.length, { counted: data.length })
  },
}

export const PROMO_SWEEPS = { cancelledSeats: cancelledSeatsJob, paidSeats: paidSeatsJob, expiredGroups: expiredGroupsJob, failedGroups: failedGroupsJob, succeededGroups: succeededGroupsJob }
