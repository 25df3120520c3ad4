/**
 * 挂失 / 解挂 by the member themself. Freezing is staff-only (staff.cardService); a frozen card
 * cannot be un-lost here. The change and its history item are one conditional update guarded by
 * the current status (backend/card-services.ts), so concurrent calls apply once, and a retry with
 * the same requestId answers the status that request set.
 */
import { inactiveCardError, memberIdFor, type CardAction } from '../../../domain/membership'
import { AppError } from '../../../domain/shared/errors'
import { changeCardStatus, findMember, notAMember, type MemberHandlers } from '../../../backend/membership'
import { requireMember } from '../../../backend/platform/handler'
import type { ActionContext } from '../../../backend/platform/handler'

async function byMember(action: Extract<CardAction, 'reportLoss' | 'cancelLoss'>, requestId: string, { caller, now }: ActionContext) {
  const memberId = memberIdFor(requireMember(caller))
  try {
    const { status } = await changeCardStatus(memberId, action, { by: 'member', staffId: null, requestId }, now)
    return { status }
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    if (error.reason === 'MEMBER_NOT_FOUND') throw notAMember()
    if (error.reason === 'CARD_NOT_LOST') {
      // A frozen card is unfrozen by a store, not by the member.
      const member = await findMember(memberId)
      if (member?.status === 'frozen') throw inactiveCardError('frozen')
    }
    throw error
  }
}

export const cardServiceHandlers: MemberHandlers<'reportLoss' | 'cancelLoss'> = {
  reportLoss: ({ requestId }, context) => byMember('reportLoss', requestId, context),
  cancelLoss: ({ requestId }, context) => byMember('cancelLoss', requestId, context),
}
