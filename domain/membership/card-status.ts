/** Card services (挂失 / 解挂 / 冻结 / 解冻): which status each action moves a card from and to. */
import type { MemberStatus } from '../contract'
import { AppError } from '../shared/errors'

export type CardAction = 'reportLoss' | 'cancelLoss' | 'freeze' | 'unfreeze'

const TRANSITIONS: Record<CardAction, { from: MemberStatus[]; to: MemberStatus }> = {
  reportLoss: { from: ['active'], to: 'lost' },
  cancelLoss: { from: ['lost'], to: 'active' },
  freeze: { from: ['active', 'lost'], to: 'frozen' },
  unfreeze: { from: ['frozen'], to: 'active' },
}

/** Why the action cannot move a card from `current` (one of the statuses it does not move from). */
function refusal(action: CardAction, current: MemberStatus): AppError {
  switch (action) {
    case 'reportLoss':
      return current === 'frozen' ? new AppError('CARD_FROZEN', '会员卡已冻结，不能挂失') : new AppError('CARD_ALREADY_LOST', '会员卡已挂失')
    case 'cancelLoss':
      return new AppError('CARD_NOT_LOST', '会员卡未挂失，无需解挂')
    case 'freeze':
      return new AppError('CARD_ALREADY_FROZEN', '会员卡已冻结')
    case 'unfreeze':
      return new AppError('CARD_NOT_FROZEN', '会员卡未冻结，无需解冻')
  }
}

/** The status after the action, or a FAILED_PRECONDITION explaining why not. */
export function nextStatus(current: MemberStatus, action: CardAction): MemberStatus {
  const transition = TRANSITIONS[action]
  if (!transition.from.includes(current)) throw refusal(action, current)
  return transition.to
}

export interface CardEvent {
  action: CardAction
  by: 'member' | 'staff'
  staffId: string | null
  requestId: string
  from: MemberStatus
  to: MemberStatus
  at: Date
}

/** The error for acting with a card that is not active (挂失 or 冻结). */
export function inactiveCardError(status: MemberStatus): AppError {
  return status === 'lost' ? new AppError('CARD_LOST', '会员卡已挂失，请先解除挂失') : new AppError('CARD_FROZEN', '会员卡已冻结，请联系门店解冻')
}
