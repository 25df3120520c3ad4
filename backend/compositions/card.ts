/**
 * 连接即会员 (join) and the card with its member code. The
 * card spans membership (the member), loyalty (the join points) and coupons (the count), so it is
 * composed here.
 */
import { AppError } from '../../domain/shared/errors'
import { JOIN_DESCRIPTION, joinEntryId } from '../../domain/loyalty'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { memberIdFor, newMemberRecord } from '../../domain/membership'
import { ownerAtJoin, parseScene } from '../../domain/social'
import { fact } from '../../domain/shared/events'
import { businessDay } from '../../domain/shared/time'
import { issueScanCode } from '../platform/scan-codes'
import { loyaltyConfig } from '../platform/config-store'
import { unusedCouponCount } from '../coupons'
import { copyToLedger } from '../loyalty'
import { carriedFields, deliverNow, type Followers } from '../platform/events'
import { requireMember } from '../platform/handler'
import { addMember, findChannel, findMember, memberView, nextMemberNo, notAMember, type MemberHandlers } from '../membership'
import { joinAttribution } from '../social'

/** The card page asks for a new member code this long before the shown one expires. */
const MEMBER_CODE_REFRESH_MARGIN_MS = 10_000

/**
 * The card's actions. A join is the fact `joined`, carried by the new member document and
 * delivered to its followers (the welcome gift, the clerk's results) right after, since the
 * member waits for the card anyway; what a crash leaves undelivered, the minute timer delivers.
 */
export const cardHandlers = (followers: Followers): MemberHandlers<'join' | 'card'> => ({
  /**
   * 连接即会员: anyone who opens the mini-program can join. The first scene that led here (a channel
   * or a share, recorded when it was opened) is the joining channel; the sharer the joiner is bound
   * to at this moment is their inviter for ever (domain/social/binding.ts).
   */
  async join({ scene, nickname, consentVersion }, { caller, now }) {
    const openid = requireMember(caller)
    const memberId = memberIdFor(openid)
    const existing = await findMember(memberId)
    if (existing) return { member: await memberView(existing), created: false }

    const [{ rules, brand, tiers, cardTypes, social }, attribution] = await Promise.all([loyaltyConfig(), joinAttribution(memberId, scene ?? null)])
    const joiningScene = attribution.scene ? parseScene(attribution.scene) : null
    const channel = joiningScene?.kind === 'channel' ? await findChannel(joiningScene.code) : null
    const { invitation } = attribution
    const joinEntry: LedgerEntry = {
      _id: joinEntryId(memberId),
      memberId,
      kind: 'join',
      points: rules.join.points,
      balance: 0,
      growth: rules.join.growth,
      requestId: `join-${memberId}`,
      businessDay: businessDay(now, brand.timeZone),
      createdAt: now,
      description: JOIN_DESCRIPTION,
    }
    const memberNo = await nextMemberNo()
    const record = newMemberRecord({
      openid,
      unionid: caller.unionid || null,
      memberNo,
      nickname,
      cardTypeId: (cardTypes.find((type) => type.isDefault) ?? cardTypes[0])._id,
      tierId: tiers[0]._id,
      channel,
      opening: [joinEntry],
      consentVersion,
      invitation,
      joinScene: attribution.scene,
      ownerStaffId: ownerAtJoin(channel?.ownerType === 'staff' ? channel.ownerId : null, invitation?.inviterOwnerStaffId ?? null, social.ownerFromInviter),
      now,
    })
    const joined = fact('joined', memberId, now, {
      memberId,
      channelId: record.channelId,
      referrerStaffId: record.referrerStaffId,
      businessDay: joinEntry.businessDay,
      inviterId: record.invitedBy,
      inviter2Id: record.invitedBy2,
      shareCode: invitation?.shareCode ?? null,
      ownerStaffId: record.ownerStaffId,
    })
    const member = { ...record, ...carriedFields(joined) }
    const added = await addMember(member)
    if (!added.created) return { member: await memberView(added.member), created: false }
    await copyToLedger(joinEntry)
    await deliverNow('members', member, followers, now)
    return { member: await memberView(record), created: true }
  },

  /** The card with a fresh member code (one write: the code is registered); the page asks again before it expires, only while shown. */
  async card(_input, { caller, now }) {
    const member = await findMember(memberIdFor(requireMember(caller)))
    if (!member) throw notAMember()
    if (member.status !== 'active') {
      throw member.status === 'lost' ? new AppError('CARD_LOST', '会员卡已挂失，暂不能出示会员码') : new AppError('CARD_FROZEN', '会员卡已冻结，暂不能出示会员码')
    }
    const [{ code, expiresAt }, view, coupons] = await Promise.all([issueScanCode('member', member._id, now), memberView(member), unusedCouponCount(member._id)])
    return {
      member: view,
      code,
      expiresAt,
      refreshAfterMs: Math.max(1_000, expiresAt - now.getTime() - MEMBER_CODE_REFRESH_MARGIN_MS),
      couponsCount: coupons,
    }
  },
})
