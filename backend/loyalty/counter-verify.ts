/** 扫码核验 at the counter: the member code, used once, gives the member summary and a counter token. */
import type { ActionResults, ParsedInput, VisitView } from '../../domain/contract'
import { MEMBER_CODE_TTL_MS, inactiveCardError, issueCounterToken, maskPhone, verifyMemberCode as checkMemberCode, type MemberRecord } from '../../domain/membership'
import { AppError } from '../../domain/shared/errors'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { signedCodeError } from '../../domain/shared/signed-code'
import { database, isDuplicateKey } from '../platform/cloud'
import { requiredSetting } from '../platform/settings'
import { findMemberByNo, memberView, stores } from '../membership'
import type { StaffRecord } from '../platform/staff'
import { logCounterAction } from './counter-log'

type Results = ActionResults['staff']

/**
 * A member code works once at the counter: a screenshot of a scanned code is refused.
 * `code` is the canonical form the check returned, so `"code\n"` is the same used code.
 */
async function consumeCode(code: string, staff: StaffRecord, now: Date): Promise<void> {
  try {
    await database()
      .collection('used_member_codes')
      .add({ _id: code, staffId: staff._id, storeId: staff.storeId, usedAt: now, expiresAt: new Date(now.getTime() + MEMBER_CODE_TTL_MS) })
  } catch (error) {
    if (isDuplicateKey(error)) throw new AppError('CODE_USED', '该会员码已使用，请顾客刷新后重新出示')
    throw error
  }
}

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

/** A clerk scans the code on the member's card. */
export async function verifyMemberCode({ code: scanned }: ParsedInput<'staff', 'verifyMemberCode'>, staff: StaffRecord, now: Date): Promise<Results['verifyMemberCode']> {
  const secret = requiredSetting('MEMBER_CODE_SECRET')
  const check = checkMemberCode(scanned, now.getTime(), secret)
  if (!check.ok) throw signedCodeError(check.reason, '会员码')
  const member = await findMemberByNo(check.memberNo)
  if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
  if (member.status !== 'active') throw inactiveCardError(member.status)
  await consumeCode(check.code, staff, now)
  const [view, visits] = await Promise.all([memberView(member), lastVisits(member)])
  await logCounterAction(`verify:${check.code}`, staff, 'verify', member, '扫码核验', now)
  return {
    member: view,
    maskedPhone: maskPhone(member.phone),
    counterToken: issueCounterToken(member._id, staff._id, now.getTime(), secret),
    tags: member.tags ?? [],
    lastVisits: visits,
  }
}
