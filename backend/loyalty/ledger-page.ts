/**
 * The member's ledger read page by page (积分明细, 储值明细): entries whose points or stored value
 * moved, newest first, after flushing the member's outbox.
 */
import type { LoyaltyMember } from '../../domain/loyalty/earning'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { database } from '../platform/cloud'
import { flushOutbox } from './ledger'

const ledger = () => database().collection('ledger')

/**
 * One page of the member's entries whose `field` is not zero, newest first, with the sum of
 * `field` over everything at or after `before` (to walk back from the current balance).
 */
export async function pageOf(member: LoyaltyMember, field: 'points' | 'balance', limit: number, before: number | undefined) {
  await flushOutbox(member)
  const _ = database().command
  const memberId = member._id
  const nonZero = { memberId, [field]: _.neq(0) }
  const [page, newer] = await Promise.all([
    ledger()
      .where(before ? { ...nonZero, createdAt: _.lt(new Date(before)) } : nonZero)
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc')
      .limit(limit + 1)
      .get(),
    before
      ? ledger()
          .aggregate()
          .match({ memberId, createdAt: _.gte(new Date(before)) })
          .group({ _id: null, total: _.aggregate.sum(`$${field}`) })
          .end()
      : Promise.resolve({ data: [] as unknown[] }),
  ])
  const entries = (page.data as LedgerEntry[]).slice(0, limit)
  return {
    entries,
    newerTotal: (newer.data[0] as { total?: number } | undefined)?.total ?? 0,
    nextBefore: page.data.length > limit ? new Date(entries[entries.length - 1].createdAt).getTime() : null,
  }
}
