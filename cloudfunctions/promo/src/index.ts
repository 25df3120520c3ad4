/**
 * promo: flash sales (秒杀) and group-buys (拼团) for members, and the promotion sweeper for the
 * minute-level timer (`{ Type: 'Timer', TriggerName: 'promoSweep' }`, no user): unpaid orders
 * released, expired groups failed and refunded, cut-short notices sent. A timer event from a
 * mini-program user is refused.
 */
import type { ActionResults, CallAnswer } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { memberIdFor } from '../../../domain/membership/member'
import type { Caller } from '../../../backend/platform/cloud'
import { defineFunction, internalError, requireMember, type PlatformEventHandler } from '../../../backend/platform/handler'
import { flashBuy, listSales } from '../../../backend/promo/flash-sale'
import { groupView, joinGroup, listCampaigns, memberGroups, startGroup } from '../../../backend/promo/group-buy'
import { currentDeadline, withDeadline } from '../../../backend/platform/jobs'
import { runPromoSweep, type PromoSweep } from '../../../backend/promo/promo-jobs'

type Results = ActionResults['promo']

export const PROMO_TIMER = 'promoSweep'

async function onTimer(event: Record<string, unknown>, caller: Caller, now: Date): Promise<CallAnswer<PromoSweep>> {
  if (caller.openid) return { ok: false, error: new AppError('TIMER_ONLY', '定时任务只能由云开发定时触发器运行').toJSON() }
  if (event.TriggerName !== PROMO_TIMER) return { ok: false, error: new AppError('UNKNOWN_TRIGGER', `unknown timer trigger ${String(event.TriggerName).slice(0, 64)}`).toJSON() }
  try {
    return { ok: true, data: await runPromoSweep(now, { deadline: currentDeadline() }) }
  } catch (error) {
    return { ok: false, error: internalError('promo sweep', error) }
  }
}

const timer: PlatformEventHandler = (event, { caller, now }) => (event.Type === 'Timer' ? onTimer(event, caller, now) : undefined)

export const main = withDeadline(
  defineFunction(
    'promo',
    {
      async flashSales(_input, { caller, now }): Promise<Results['flashSales']> {
        return { sales: await listSales(memberIdFor(requireMember(caller)), now) }
      },

      /** 秒杀: two database calls when it succeeds (see backend/flash-sale.ts). */
      async flashBuy(input, { caller, now }): Promise<Results['flashBuy']> {
        return { order: await flashBuy(input, memberIdFor(requireMember(caller)), now) }
      },

      async groupCampaigns(_input, { caller, now }): Promise<Results['groupCampaigns']> {
        requireMember(caller)
        return { campaigns: await listCampaigns(now) }
      },

      async startGroup(input, { caller, now }): Promise<Results['startGroup']> {
        return startGroup(input, requireMember(caller), now)
      },

      async joinGroup(input, { caller, now }): Promise<Results['joinGroup']> {
        return joinGroup(input, requireMember(caller), now)
      },

      /** A group's page (also opened from a share by someone not in it). */
      async group({ groupId }, { caller, now }): Promise<Results['group']> {
        return { group: await groupView(groupId, memberIdFor(requireMember(caller)), now) }
      },

      async myGroups(_input, { caller, now }): Promise<Results['myGroups']> {
        return { groups: await memberGroups(memberIdFor(requireMember(caller)), now) }
      },
    },
    timer,
  ),
)
