/**
 * 挂失 / 解挂 by the member themself. Freezing is staff-only (staff.cardService); a frozen card
 * cannot be un-lost here. The change and its history item are one conditional update guarded by
 * the current status (backend/card-services.ts), so concurrent calls apply once, and a retry with
 * the same requestId answers the status that request set.
 */
import { inactiveCardError, memberIdFor, type CardAction, type MemberRecord } from '../../../domain/membership'
import { AppError } from '../../../domain/shared/errors'
import { changeCardStatus, findMember, notAMember, phoneNumberFromCode, type MemberHandlers } from '../../../backend/membership'
import { requireMember } from '../../../backend/platform/handler'
import type { ActionContext } from '../../../backend/platform/handler'

/**
 * 解除挂失 on the phone itself only by whoever holds the WeChat account whose number is on file:
 * the phone authorisation's number must be the member's (a member without one goes to a store).
 */
async function phoneMatches(member: MemberRecord, phoneCode: string): Promise<void> {
  if (!member.phone) throw new AppError('PHONE_NOT_BOUND', '你还没有绑定手机号，请到门店由店员核验后解除挂失')
  if ((await phoneNumberFromCode(phoneCode)) !== member.phone) throw new AppError('PHONE_MISMATCH', '授权的手机号与会员登记的不一致，请到门店办理')
}

async function byMember(action: Extract<CardAction, 'reportLoss' | 'cancelLoss'>, requestId: string, { caller, now }: ActionContext, phoneCode?: string) {
  const memberId = memberIdFor(requireMember(caller))
  try {
    const check = phoneCode === undefined ? undefined : (member: MemberRecord) => phoneMatches(member, phoneCode)
    const { status } = await changeCardStatus(memberId, action, { by: 'member', staffId: null, requestId }, now, check)
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
  cancelLoss: ({ requestId, phoneCode }, context) => byMember('cancelLoss', requestId, context, phoneCode),
}
