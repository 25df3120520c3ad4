/**
 * bulkGrant: points and/or stored value for a list of members, one ledger entry per member
 * (`grant:<batchId>:<memberId>`), so running the same batch again grants nobody twice. Each call
 * is a run of the job runner (loyalty's grantJob); what it could not grant are its findings.
 */
import type { ActionResults } from '../../../domain/contract'
import { assertEntryId } from '../../../domain/loyalty'
import { businessDay } from '../../../domain/shared/time'
import { grantEntryId, grantJob } from '../../../backend/loyalty'
import { runFindings, runJob } from '../../../backend/platform/job-runner'

type Result = ActionResults['admin']['bulkGrant']

function isValidId(batchId: string, memberId: string): boolean {
  try {
    assertEntryId(grantEntryId(batchId, memberId))
    return true
  } catch {
    return false
  }
}

export async function bulkGrant(
  input: { batchId: string; memberIds: string[]; points: number; balance: number; reason: string },
  runKey: string,
  now: Date,
  deadline: number,
  timeZone: string,
): Promise<Result> {
  const { batchId, points, balance, reason } = input
  const memberIds = [...new Set(input.memberIds)]
  const valid = memberIds.filter((memberId) => isValidId(batchId, memberId))
  const run = await runJob(grantJob, runKey, { batchId, memberIds: valid, points, balance, reason, day: businessDay(now, timeZone) }, now, deadline)
  const found = new Map((await runFindings(run.key, 1000)).map((finding) => [finding.documentId, finding]))
  const failed: Result['failed'] = []
  for (const memberId of memberIds) {
    const finding = found.get(memberId)
    if (finding) failed.push({ memberId, code: finding.code, reason: finding.reason, message: finding.message } as Result['failed'][number])
    else if (!valid.includes(memberId)) failed.push({ memberId, code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: '会员 id 不合法' })
  }
  return { batchId, granted: run.outcomes.granted ?? 0, alreadyGranted: run.outcomes.alreadyGranted ?? 0, failed, runKey: run.key, done: run.status === 'done' }
}
