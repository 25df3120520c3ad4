/**
 * bulkGrant: points and/or stored value for a list of members, one ledger entry per member
 * (`grant:<batchId>:<memberId>`), so running the same batch again grants nobody twice. Members
 * are posted 10 at a time.
 */
import type { ActionResults } from '../../../domain/contract'
import { isAppError, type AppErrorShape } from '../../../domain/shared/errors'
import { assertEntryId } from '../../../domain/loyalty'
import type { LedgerEntry } from '../../../domain/shared/ledger-entry'
import { businessDay } from '../../../domain/shared/time'
import { internalError } from '../../../backend/platform/handler'
import { CONCURRENCY, mapLimit } from '../../../backend/platform/jobs'
import { postEntry } from '../../../backend/loyalty'

type Outcome = 'granted' | 'alreadyGranted' | Pick<AppErrorShape, 'code' | 'reason' | 'message'>

export function grantEntryId(batchId: string, memberId: string): string {
  return `grant:${batchId}:${memberId}`
}

export async function bulkGrant(
  input: { batchId: string; memberIds: string[]; points: number; balance: number; reason: string },
  now: Date,
  timeZone: string,
): Promise<ActionResults['admin']['bulkGrant']> {
  const { batchId, points, balance, reason } = input
  const memberIds = [...new Set(input.memberIds)]
  const outcomes = await mapLimit(memberIds, CONCURRENCY, async (memberId): Promise<Outcome> => {
    const id = grantEntryId(batchId, memberId)
    try {
      assertEntryId(id)
    } catch {
      return { code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: '会员 id 不合法' }
    }
    try {
      const entry: LedgerEntry = {
        _id: id,
        memberId,
        kind: 'grant',
        points,
        balance,
        growth: 0,
        requestId: `grant-${batchId}`,
        businessDay: businessDay(now, timeZone),
        createdAt: now,
        description: reason,
        detail: { batchId },
      }
      const posted = await postEntry(entry)
      return posted.replayed ? 'alreadyGranted' : 'granted'
    } catch (error) {
      if (isAppError(error)) return { code: error.code, reason: error.reason, message: error.message }
      const internal = internalError(`admin bulkGrant ${batchId} ${memberId}`, error)
      return { code: internal.code, reason: internal.reason, message: internal.message }
    }
  })
  const result: ActionResults['admin']['bulkGrant'] = { batchId, granted: 0, alreadyGranted: 0, failed: [] }
  outcomes.forEach((outcome, index) => {
    if (outcome === 'granted') result.granted++
    else if (outcome === 'alreadyGranted') result.alreadyGranted++
    else result.failed.push({ memberId: memberIds[index], ...outcome })
  })
  return result
}
