import { nextStatus, type CardAction, type CardEvent } from '../../domain/membership/card-status'
import type { MemberStatus } from '../../domain/contract'
import { AppError } from '../../domain/shared/errors'
import type { MemberRecord } from '../../domain/membership/member'
import { database } from '../platform/cloud'
import { findMember } from './members'

const MAX_ATTEMPTS = 5

/**
 * 挂失 / 解挂 / 冻结 / 解冻: one conditional update guarded by the status it was read in, with the
 * event pushed in the same update. A retry with the same request id answers the status it set.
 */
export async function changeCardStatus(
  memberId: string,
  action: CardAction,
  actor: { by: 'member' | 'staff'; staffId: string | null; requestId: string },
  now: Date,
  /** checked once, after a replay is answered and before the change (the member's phone check) */
  mayChange?: (member: MemberRecord) => Promise<void>,
): Promise<{ member: MemberRecord; status: MemberStatus }> {
  let checked = !mayChange
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = await findMember(memberId)
    if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
    const done = (member.cardEvents ?? []).find((event) => event.requestId === actor.requestId)
    if (done) return { member, status: done.to }
    const to = nextStatus(member.status, action)
    if (!checked) {
      await mayChange?.(member)
      checked = true
    }
    const event: CardEvent = { action, by: actor.by, staffId: actor.staffId, requestId: actor.requestId, from: member.status, to, at: now }
    const { doc } = (await database()
      .collection('members')
      .where({ _id: memberId, status: member.status })
      .updateAndReturn({ status: to, cardEvents: database().command.push({ each: [event], slice: -100 }) })) as { doc?: MemberRecord }
    if (doc) return { member: doc, status: to }
  }
  throw new AppError('BUSY', '操作繁忙，请稍后重试')
}
