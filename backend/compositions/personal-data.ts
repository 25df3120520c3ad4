/**
 * 个人信息导出: everything we hold about the caller, and nothing about anyone else. It spans
 * membership (the member, the channel) and loyalty (the ledger, top-ups), so it is composed here.
 */
import { exportShape } from '../../domain/membership'
import { loyaltyConfig } from '../platform/config-store'
import { loyaltyDataOf } from '../loyalty'
import { findChannel, ownMember, type MemberHandlers } from '../membership'

export const personalDataHandlers: MemberHandlers<'exportData'> = {
  async exportData(_input, { caller, now }) {
    const member = await ownMember(caller)
    const [config, channel, loyalty] = await Promise.all([loyaltyConfig(), findChannel(member.channelId), loyaltyDataOf(member)])
    const cardType = config.cardTypes.find((type) => type._id === member.cardTypeId)
    const data = exportShape({
      member,
      ledger: loyalty.ledger,
      tierNames: Object.fromEntries(config.tiers.map((tier) => [tier._id, tier.name])),
      cardTypeName: cardType?.name ?? member.cardTypeId,
      channelName: channel?.name ?? null,
      topupOrders: loyalty.topupOrders,
    })
    return { exportedAt: now.toISOString(), data }
  },
}
