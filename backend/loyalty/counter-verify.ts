/** 扫码核验 at the counter: the member code, used once, gives the member summary and a counter token. */
import type { ActionResults, MemberView, ParsedInput, VisitView } from '../../domain/contract'
import { COUNTER_TOKEN_TTL_MS, inactiveCardError, issueCounterToken, maskPhone, type MemberRecord } from '../../domain/membership'
import { AppError } from '../../domain/shared/errors'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { database } from '../platform/cloud'
import { readScanCode, useScanCode } from '../platform/scan-codes'
import { requiredSetting } from '../platform/settings'
import { findMember, memberView, stores } from '../membership'
import type { StaffRecord } from '../platform/staff'
import { counterGrantMember } from './counter'
import { logCounterAction } from './counter-log'

type Results = ActionResults['staff']

/** How many of the newest purchases and refunds are read to find the last three visits and which were refunded. */
const VISIT_WINDOW = 20

/**
 * The last three purchases, each marked when refunded since, in the same one query: a refund is
 * newer than its purchase, so it is in the window unless many refunds of older purchases came after.
 */
async function lastVisits(member: MemberRecord): Promise<VisitView[]> {
  const _ = database().command
  const [{ data }, storeList] = await Promise.all([
    database()
      .collection('ledger')
      .where({ memberId: member._id, kind: _.in(['purchase', 'refund']) })
      .orderBy('createdAt', 'desc')
      .limit(VISIT_WINDOW)
      .get(),
    stores(),
  ])
  const entries = data as LedgerEntry[]
  const refunded = new Set(entries.filter((entry) => entry.kind === 'refund').map((entry) => entry.reverses))
  return entries
    .filter((entry) => entry.kind === 'purchase')
    .slice(0, 3)
    .map((entry) => ({
      purchaseId: entry._id,
      at: new Date(entry.createdAt).toISOString(),
      storeName: storeList.get(entry.storeId ?? '')?.name ?? entry.storeId ?? '',
      payable: Number((entry.detail as { payable?: number } | undefined)?.payable ?? 0),
      refunded: refunded.has(entry._id),
    }))
}

/**
 * A clerk scans (or types) the code on the member's card. It works once: a screenshot of a scanned
 * code is refused, and `"code\n"` or the code typed with spaces is the same used code.
 */
export async function verifyMemberCode({ code: scanned }: ParsedInput<'staff', 'verifyMemberCode'>, staff: StaffRecord, now: Date): Promise<Results['verifyMemberCode']> {
  const secret = requiredSetting('MEMBER_CODE_SECRET')
  const { code, subject } = await readScanCode('member', scanned, staff, now)
  const member = await findMember(subject)
  if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
  if (member.status !== 'active') throw inactiveCardError(member.status)
  await useScanCode(code, staff, now)
  const [view, visits] = await Promise.all([memberView(member), lastVisits(member)])
  await logCounterAction(`verify:${code}`, staff, 'verify', member, '扫码核验', now)
  const counterToken = issueCounterToken(member._id, staff._id, now.getTime(), secret)
  return counterSummary(member, view, visits, counterToken, now.getTime() + COUNTER_TOKEN_TTL_MS)
}

function counterSummary(member: MemberRecord, view: MemberView, visits: VisitView[], counterToken: string, expiresAt: number): Results['verifyMemberCode'] {
  return { member: view, maskedPhone: maskPhone(member.phone), counterToken, counterTokenExpiresAt: new Date(expiresAt).toISOString(), tags: member.tags ?? [], lastVisits: visits }
}

/**
 * The counter page reloaded while its token lives: the same member, read afresh, under the same
 * token (no new code is asked of the member; the token still ends when it would have).
 */
export async function resumeCounter({ counterToken }: ParsedInput<'staff', 'resumeCounter'>, staff: StaffRecord, now: Date): Promise<Results['resumeCounter']> {
  const { member, expiresAt } = await counterGrantMember(counterToken, staff, now)
  if (member.status !== 'active') throw inactiveCardError(member.status)
  const [view, visits] = await Promise.all([memberView(member), lastVisits(member)])
  return counterSummary(member, view, visits, counterToken, expiresAt)
}
