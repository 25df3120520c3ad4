/**
 * promo: flash sales (秒杀) and group-buys (拼团) for members. The promotion sweeper runs in the
 * `jobs` function's minute timer (backend/promo/promo-jobs.ts).
 */
import type { ActionResults } from '../../../domain/contract'
import { memberIdFor } from '../../../domain/membership'
import { defineFunction, requireMember } from '../../../backend/platform/handler'
import { withImageLinks } from '../../../backend/platform/storage'
import { flashBuy, groupView, joinGroup, listCampaigns, listSales, memberGroups, startGroup } from '../../../backend/promo'

type Results = ActionResults['promo']

export const main = defineFunction('promo', {
  async flashSales(_input, { caller, now }): Promise<Results['flashSales']> {
    return { sales: await withImageLinks(await listSales(memberIdFor(requireMember(caller)), now)) }
  },

  /** 秒杀: three database calls when it succeeds on a warm instance (see backend/promo/flash-sale.ts). */
  async flashBuy(input, { caller, now }): Promise<Results['flashBuy']> {
    return { order: await flashBuy(input, memberIdFor(requireMember(caller)), now) }
  },

  async groupCampaigns(_input, { caller, now }): Promise<Results['groupCampaigns']> {
    requireMember(caller)
    return { campaigns: await withImageLinks(await listCampaigns(now)) }
  },

  async startGroup(input, { caller, now }): Promise<Results['startGroup']> {
    const placed = await startGroup(input, requireMember(caller), now)
    return { ...placed, group: (await withImageLinks([placed.group]))[0] }
  },

  async joinGroup(input, { caller, now }): Promise<Results['joinGroup']> {
    const placed = await joinGroup(input, requireMember(caller), now)
    return { ...placed, group: (await withImageLinks([placed.group]))[0] }
  },

  /** A group's page (also opened from a share by someone not in it). */
  async group({ groupId }, { caller, now }): Promise<Results['group']> {
    return { group: (await withImageLinks([await groupView(groupId, memberIdFor(requireMember(caller)), now)]))[0] }
  },

  async myGroups(_input, { caller, now }): Promise<Results['myGroups']> {
    return { groups: await withImageLinks(await memberGroups(memberIdFor(requireMember(caller)), now)) }
  },
})
