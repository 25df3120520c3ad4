/** Card services (挂失 / 解挂 / 冻结 / 解冻): which status each action moves a card from and to. */
import type { MemberStatus } from './contract'
import { AppError } from './errors'

export type CardAction = 'reportLoss' | 'cancelLoss' | 'freeze' | 'unfreeze'

const TRANSITIONS: Record<CardAction, { from: MemberStatus[]; to: MemberStatus }> = {
  reportLoss: { from: ['active'], to: 'lost' },
  cancelLoss: { from: ['lost'], to: 'active' },
  freeze: { from: ['active', 'lost'], to: 'frozen' },
  unfreeze: { from: ['frozen'], to: 'active' },
}

const REFUSALS: Record<CardAction, string> = {
  reportLoss: '会员卡当前不能挂失（已挂失或已冻结）',
  cancelLoss: '会员卡未挂失，无需解挂',
  freeze: '会员卡已冻结',
  unfreeze: '会员卡未冻结，无需解冻',
}

/** The status after the action, or a FAILED_PRECONDITION explaining why not. */
export function nextStatus(current: MemberStatus, action: CardAction): MemberStatus {
  const transition = TRANSITIONS[action]
  if (!transition.from.includes(current)) throw new AppError('FAILED_PRECONDITION', REFUSALS[action])
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
