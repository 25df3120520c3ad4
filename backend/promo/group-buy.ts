/**
 * Group-buys (拼团) on the database, with conditional atomic updates only:
 *
 *  - start: take a unit (`group_campaigns.where({ stock > 0, endAt > now })`), insert the group
 *    (id from the leader and request, so a retry finds it) with the leader's seat, create the
 *    leader's order and pay it (stored value at once, or WeChat Pay parameters);
 *  - join: ONE conditional update checks and takes the seat —
 *    `groups.where({ _id, status: 'open', leaderPaid: true, count < size, participants.memberId ≠ me, expiresAt > now })
 *            .updateAndReturn({ count +1, participants push me })` — then stock, order, payment;
 *    any failure after the seat was taken gives the seat back (guarded) and the unit back;
 *  - paid: each paid order is counted once on its group (`paidOrders ≠ order`); when every seat is
 *    taken and paid before expiry, `where({ status: 'open', paidCount: size, expiresAt > now })`
 *    marks it a success (one winner), and every participant is notified once;
 *  - an unpaid order that is closed gives its seat back; a group nobody is left in fails.
 *
 * Failing expired groups and refunding them is the sweeper's (backend/promo-jobs.ts).
 */
import type { GroupCampaignView, GroupView, OrderView, PaymentParams } from '../../domain/contract'
import { parseConfigDocument } from '../../domain/shared/config'
import { AppError, hasReason } from '../../domain/shared/errors'
import { fact } from '../../domain/shared/events'
import {
  canSucceed,
  groupCampaignSchema,
  groupExpiry,
  groupIdFor,
  groupNoticeId,
  groupOrderId,
  groupResultMessage,
  isParticipant,
  joinRefusal,
  recordedPrices,
  startRefusal,
  toGroupCampaignView,
  toGroupView,
  type GroupCampaign,
  type GroupParticipant,
  type GroupTerms,
  type GroupRecord,
  type GroupResult,
} from '../../domain/promo/group-buy'
import { inactiveCardError, memberIdFor, type MemberRecord } from '../../domain/membership'
import { FULFILMENT_TYPES, newOrder, resolveFulfilment, type Fulfilment, type FulfilmentInput, type FulfilmentType, type OrderRecord } from '../../domain/orders'
import { database, isDuplicateKey } from '../platform/cloud'
import { carryFacts } from '../platform/events'
import { findMember, notAMember, stores } from '../membership'
import { issueOrderCoupons } from '../coupons'
import { closeOrder, createOrder, findOrder, markGroupFormed, payFromLedger, payWithWechat, toOrderView, unlistOrder } from '../orders'
import { callOpenApi } from '../platform/wechat'

const campaigns = () => database().collection('group_campaigns')
const groups = () => database().collection('groups')
const notices = () => database().collection('group_notices')

export async function findCampaign(campaignId: string): Promise<GroupCampaign | null> {
  const { data } = await campaigns().doc(campaignId).get()
  return data[0] ? parseConfigDocument(groupCampaignSchema, 'group_campaigns', data[0]) : null
}

export async function findGroup(groupId: string): Promise<GroupRecord | null> {
  const { data } = await groups().doc(groupId).get()
  return (data[0] as GroupRecord | undefined) ?? null
}

/** Campaigns still taking new groups, ending soonest first. */
export async function listCampaigns(now: Date): Promise<GroupCampaignView[]> {
  const _ = database().command
  const { data } = await campaigns()
    .where({ endAt: _.gt(now) })
    .orderBy('endAt', 'asc')
    .limit(100)
    .get()
  return (data as unknown[]).map((doc) => toGroupCampaignView(parseConfigDocument(groupCampaignSchema, 'group_campaigns', doc)))
}

/**
 * The terms of each group: its own prices and ways of fulfilment (recorded when it was opened),
 * or for a group opened before they were recorded, its campaign's; failing that (the campaign was
 * removed), what its orders cost and no way to join.
 */
async function termsOf(list: GroupRecord[]): Promise<Map<string, GroupTerms>> {
  const terms = new Map<string, GroupTerms>()
  const older: GroupRecord[] = []
  for (const group of list) {
    const prices = recordedPrices(group)
    if (prices && group.fulfilment) terms.set(group._id, { ...prices, fulfilment: group.fulfilment, image: group.image ?? null })
    else older.push(group)
  }
  if (older.length === 0) return terms
  const _ = database().command
  const campaignIds = [...new Set(older.map((group) => group.campaignId))]
  const { data } = await campaigns()
    .where({ _id: _.in(campaignIds) })
    .limit(campaignIds.length)
    .get()
  const byCampaign = new Map((data as Partial<GroupCampaign>[]).map((doc) => [doc._id, doc]))
  for (const group of older) {
    const campaign = byCampaign.get(group.campaignId)
    let prices = recordedPrices(group) ?? (campaign ? recordedPrices(campaign) : null)
    if (!prices) {
      const { data: placed } = await database().collection('orders').where({ groupId: group._id }).limit(1).get()
      const amount = (placed[0] as OrderRecord | undefined)?.amount ?? 0
      prices = { groupPrice: amount, listPrice: amount }
    }
    terms.set(group._id, { ...prices, fulfilment: group.fulfilment ?? (Array.isArray(campaign?.fulfilment) ? campaign.fulfilment : []), image: group.image ?? campaign?.image ?? null })
  }
  return terms
}

async function viewsOf(list: GroupRecord[], viewerMemberId: string | null, now: Date): Promise<GroupView[]> {
  const terms = await termsOf(list)
  return list.map((group) => toGroupView(group, viewerMemberId, now, terms.get(group._id) as GroupTerms))
}

async function viewOf(group: GroupRecord, viewerMemberId: string | null, now: Date): Promise<GroupView> {
  return (await viewsOf([group], viewerMemberId, now))[0]
}

export async function groupView(groupId: string, viewerMemberId: string | null, now: Date): Promise<GroupView> {
  const group = await findGroup(groupId)
  if (!group) throw new AppError('GROUP_NOT_FOUND', '未找到该拼团')
  return viewOf(group, viewerMemberId, now)
}

/** The groups a member is in, newest first. */
export async function memberGroups(memberId: string, now: Date): Promise<GroupView[]> {
  const { data } = await groups().where({ 'participants.memberId': memberId }).orderBy('createdAt', 'desc').limit(50).get()
  return viewsOf(data as GroupRecord[], memberId, now)
}

async function activeMember(memberId: string): Promise<MemberRecord> {
  const member = await findMember(memberId)
  if (!member) throw notAMember()
  if (member.status !== 'active') throw inactiveCardError(member.status)
  return member
}

// ---------------------------------------------------------------------------------------------
// Stock and seats

/** A unit of the campaign; for a new group only while the campaign runs and offers the way of fulfilment asked. */
async function takeUnit(campaignId: string, now: Date, newGroup: { fulfilment: FulfilmentType } | null): Promise<GroupCampaign | null> {
  const _ = database().command
  const where: Record<string, unknown> = { _id: campaignId, stock: _.gt(0) }
  if (newGroup) Object.assign(where, { endAt: _.gt(now), fulfilment: newGroup.fulfilment })
  const { doc } = (await campaigns()
    .where(where)
    .updateAndReturn({ stock: _.inc(-1), sold: _.inc(1) })) as { doc?: unknown }
  if (!doc) return null
  try {
    return parseConfigDocument(groupCampaignSchema, 'group_campaigns', doc)
  } catch (error) {
    await giveBackUnit(campaignId)
    throw error
  }
}

async function giveBackUnit(campaignId: string): Promise<void> {
  const _ = database().command
  await campaigns()
    .doc(campaignId)
    .update({ stock: _.inc(1), sold: _.inc(-1) })
}

/**
 * Gives a seat back (an unpaid order closed, a payment that failed): only while the group is
 * open and only the seat this order holds. A group nobody is left in fails (nothing to refund).
 */
export async function leaveGroup(groupId: string, orderId: string, now: Date): Promise<boolean> {
  const _ = database().command
  const { doc } = (await groups()
    .where({ _id: groupId, status: 'open', 'participants.orderId': orderId, paidOrders: _.neq(orderId) })
    .updateAndReturn({ count: _.inc(-1), participants: _.pull({ orderId }) })) as { doc?: GroupRecord }
  if (!doc) return false
  if (doc.count <= 0) await groups().where({ _id: groupId, status: 'open', count: 0 }).update({ status: 'failed', failedAt: now })
  return true
}

/**
 * A group-buy order that was cancelled unpaid (released by the sweeper, cancelled by the member,
 * abandoned after a failed payment) gives its seat back, then is marked so the sweeper's check
 * for cancelled orders still holding a seat (`seatReleasedAt: null`) finds it no more.
 */
export async function giveSeatBack(order: Pick<OrderRecord, '_id' | 'groupId'>, now: Date): Promise<void> {
  if (!order.groupId) return
  await leaveGroup(order.groupId, order._id, now)
  await database().collection('orders').where({ _id: order._id, seatReleasedAt: null }).update({ seatReleasedAt: now })
}

/** A group-buy order as stored: an order that also records when its seat was given back. */
export type GroupOrderRecord = OrderRecord & { seatReleasedAt: Date | null }

/** A member's order in a group, at the group's price (recorded when it was opened; an older group's is its campaign's). */
function newGroupOrder(
  campaign: GroupCampaign,
  group: Pick<GroupRecord, '_id' | 'groupPrice' | 'listPrice'>,
  memberId: string,
  orderId: string,
  fulfilment: Fulfilment,
  requestId: string,
  now: Date,
): GroupOrderRecord {
  const order = newOrder({
    id: orderId,
    kind: 'groupbuy',
    memberId,
    title: campaign.title,
    quantity: 1,
    points: 0,
    amount: (recordedPrices(group) ?? campaign).groupPrice,
    stock: { collection: 'group_campaigns', id: campaign._id, quantity: 1 },
    reason: '拼团下单',
    requestId,
    now,
    groupId: group._id,
    fulfilment,
  })
  return { ...order, seatReleasedAt: null }
}

export interface GroupPlacement {
  group: GroupView
  order: OrderView
  payment: PaymentParams | null
}

type PayMethod = 'balance' | 'wechat'

/** Refusals of a stored-value payment after which the order is given up and not listed (a new request tries again). */
const STORED_VALUE_REFUSALS = ['INSUFFICIENT_BALANCE', 'PAY_PASSWORD_REQUIRED', 'PAY_PASSWORD_NOT_SET', 'PAY_PASSWORD_WRONG', 'PAY_PASSWORD_LOCKED'] as const

/**
 * What runs once a group order is paid here (the groupbuy kind's paid step: count the group's paid seat). The
 * payment stands even if counting fails (the member must not see an error for money taken); the
 * sweeper's countPaidSeats counts it within a minute.
 */
async function paidHook(order: OrderRecord, now: Date): Promise<void> {
  await (async () => {
    await issueOrderCoupons(order, now)
    await onGroupOrderPaid(order, now)
  })().catch((error) => console.error(`[group-buy] after payment of ${order._id}`, error))
}

/**
 * An order that could not be paid here is closed (the unit goes back) and, if it ended up closed,
 * its seat is given back. A payment that did land keeps its seat.
 */
async function abandon(order: OrderRecord, now: Date): Promise<void> {
  let current: OrderRecord | null
  try {
    current = await closeOrder(order, '支付未完成，已退出拼团', order.memberId, now)
  } catch {
    current = await findOrder(order._id)
  }
  if (current && (current.status === 'cancelled' || current.status === 'refunded')) await giveSeatBack(order, now)
}

/** Creates the member's order for a seat already taken, and pays it; undoes seat and unit on failure. */
async function placeAndPay(groupId: string, order: OrderRecord, payMethod: PayMethod, openid: string, now: Date, payPassword?: string): Promise<GroupPlacement> {
  let created: OrderRecord
  try {
    const stored = await createOrder(order)
    created = stored.order
    if (!stored.created && stored.order.requestId !== order.requestId) throw new Error(`order ${order._id} exists for another request`)
  } catch (error) {
    const landed = await findOrder(order._id)
    if (!landed) {
      await giveBackUnit(order.stock!.id)
      await leaveGroup(groupId, order._id, now)
    }
    throw error
  }
  return payPlaced(groupId, created, payMethod, openid, now, payPassword)
}

async function payPlaced(groupId: string, order: OrderRecord, requested: PayMethod, openid: string, now: Date, payPassword?: string): Promise<GroupPlacement> {
  if (order.status === 'cancelled' || order.status === 'refunded') throw new AppError('GROUP_ORDER_CLOSED', '该拼团订单已关闭，请重新发起')
  let current = order
  let payment: PaymentParams | null = null
  if (order.status === 'created') {
    // a retry pays the way its first attempt began (a WeChat Pay payment in progress stays the one)
    const payMethod: PayMethod = order.payMethod === 'wechat' || order.payMethod === 'balance' ? order.payMethod : requested
    try {
      if (payMethod === 'balance') current = await payFromLedger(order, 'balance', now, paidHook, payPassword)
      else ({ order: current, payment } = await payWithWechat(order, openid, now))
    } catch (error) {
      // contention (ABORTED) took nothing: the order and its seat stay for the client's retry of the
      // same request (the minute sweeper releases them if none comes); any other failure gives them up
      if (!(error instanceof AppError && error.code === 'ABORTED')) {
        await abandon(order, now)
        // a balance that fell short under a concurrent spend, or a payment password refused: the member never had this order
        if (STORED_VALUE_REFUSALS.some((reason) => hasReason(error, reason))) await unlistOrder(order._id)
      }
      throw error
    }
  }
  const group = await findGroup(groupId)
  if (!group) throw new Error(`group ${groupId} vanished`)
  // the payment that formed the group marked its orders formed after `current` was read
  if (group.status === 'success' && !current.groupFormedAt) current = { ...current, groupFormedAt: group.succeededAt ?? now }
  return { group: await viewOf(group, current.memberId, now), order: await toOrderView(current), payment }
}

/** A retried start or join whose seat is already held by this request's order: carry on from where it stopped. */
async function resume(group: GroupRecord, participant: GroupParticipant, request: GroupRequest, member: MemberRecord, openid: string, now: Date): Promise<GroupPlacement> {
  const order = await findOrder(participant.orderId)
  if (order) return payPlaced(group._id, order, request.payMethod, openid, now, request.payPassword)
  // The earlier attempt stopped between the seat and the order: take a unit and place it now,
  // fulfilled as this retry (the same request) asks.
  if (group.status !== 'open') throw joinRefusal(group, '', now)
  let fulfilment: Fulfilment
  try {
    fulfilment = await chosenFulfilment(((await termsOf([group])).get(group._id) as GroupTerms).fulfilment, request.fulfilment, member, now)
  } catch (error) {
    await leaveGroup(group._id, participant.orderId, now)
    throw error
  }
  const campaign = await takeUnit(group.campaignId, now, null)
  if (!campaign) {
    await leaveGroup(group._id, participant.orderId, now)
    throw new AppError('SOLD_OUT', '库存不足，无法参团')
  }
  return placeAndPay(group._id, newGroupOrder(campaign, group, participant.memberId, participant.orderId, fulfilment, request.requestId, now), request.payMethod, openid, now, request.payPassword)
}

// ---------------------------------------------------------------------------------------------
// Start and join

/** The group-buy order an earlier start or join with this request id placed, in any group. */
async function earlierGroupOrder(memberId: string, requestId: string): Promise<OrderRecord | null> {
  const { data } = await database().collection('orders').where({ memberId, requestId, kind: 'groupbuy' }).limit(1).get()
  return (data[0] as OrderRecord | undefined) ?? null
}

type GroupRequest = { payMethod: PayMethod; fulfilment?: FulfilmentInput; payPassword?: string; requestId: string }

/** The member's choice of how the goods reach them, among `allowed` (a store that exists, one of their addresses). */
async function chosenFulfilment(allowed: readonly FulfilmentType[], input: FulfilmentInput | undefined, member: MemberRecord, now: Date): Promise<Fulfilment> {
  const storeMap = input?.type === 'pickup' ? await stores(now.getTime()) : new Map()
  return resolveFulfilment(allowed, input, { storeExists: (id) => storeMap.has(id), addresses: member.addresses ?? [] })
}

export async function startGroup(input: GroupRequest & { campaignId: string }, openid: string, now: Date): Promise<GroupPlacement> {
  const memberId = memberIdFor(openid)
  const groupId = groupIdFor(memberId, input.requestId)
  const orderId = groupOrderId(groupId, memberId, input.requestId)
  const [member, earlier, placedBefore] = await Promise.all([activeMember(memberId), findGroup(groupId), earlierGroupOrder(memberId, input.requestId)])
  // The same request again (whatever campaign or method it names now) is answered as the first, taking nothing.
  if (!earlier && placedBefore?.groupId) return payPlaced(placedBefore.groupId, placedBefore, input.payMethod, openid, now, input.payPassword)
  if (earlier) {
    const seat = earlier.participants.find((participant) => participant.orderId === orderId)
    if (seat) return resume(earlier, seat, input, member, openid, now)
    const order = await findOrder(orderId)
    if (order) return payPlaced(groupId, order, input.payMethod, openid, now, input.payPassword)
    throw new AppError('GROUP_START_FAILED', '开团未成功，请重新发起')
  }

  // the campaign's own ways are checked as the unit is taken: a way it does not offer takes nothing
  const fulfilment = await chosenFulfilment(FULFILMENT_TYPES, input.fulfilment, member, now)
  const campaign = await takeUnit(input.campaignId, now, { fulfilment: fulfilment.type })
  if (!campaign) throw startRefusal(await findCampaign(input.campaignId), now, fulfilment.type)
  const group: GroupRecord = {
    _id: groupId,
    campaignId: campaign._id,
    title: campaign.title,
    groupPrice: campaign.groupPrice,
    listPrice: campaign.listPrice,
    fulfilment: [...campaign.fulfilment],
    image: campaign.image,
    leaderMemberId: memberId,
    size: campaign.groupSize,
    count: 1,
    participants: [{ memberId, openid, nickname: member.nickname, orderId, joinedAt: now, fulfilment: fulfilment.type }],
    paidOrders: [],
    paidCount: 0,
    leaderPaid: false,
    status: 'open',
    expiresAt: groupExpiry(campaign, now),
    createdAt: now,
    succeededAt: null,
    failedAt: null,
    refundedAt: null,
    notifiedAt: null,
    requestId: input.requestId,
  }
  try {
    await groups().add(group)
  } catch (error) {
    await giveBackUnit(campaign._id)
    if (!isDuplicateKey(error)) throw error
    // The same request, concurrently: it carries on with that group.
    const winner = (await findGroup(groupId)) as GroupRecord
    const seat = winner.participants.find((participant) => participant.orderId === orderId)
    if (!seat) throw new AppError('GROUP_START_FAILED', '开团未成功，请重新发起')
    const order = await findOrder(orderId)
    if (!order) throw new AppError('REQUEST_IN_PROGRESS', '开团处理中，请稍后刷新')
    return payPlaced(groupId, order, input.payMethod, openid, now, input.payPassword)
  }
  return placeAndPay(groupId, newGroupOrder(campaign, group, memberId, orderId, fulfilment, input.requestId, now), input.payMethod, openid, now, input.payPassword)
}

export async function joinGroup(input: GroupRequest & { groupId: string }, openid: string, now: Date): Promise<GroupPlacement> {
  const memberId = memberIdFor(openid)
  const [member, group, placedBefore] = await Promise.all([activeMember(memberId), findGroup(input.groupId), earlierGroupOrder(memberId, input.requestId)])
  // The same request again naming another group is answered as the first, taking no seat, unit or order.
  if (placedBefore?.groupId && placedBefore.groupId !== input.groupId) return payPlaced(placedBefore.groupId, placedBefore, input.payMethod, openid, now, input.payPassword)
  if (!group) throw new AppError('GROUP_NOT_FOUND', '未找到该拼团')
  const orderId = groupOrderId(group._id, memberId, input.requestId)
  const mine = group.participants.find((participant) => participant.memberId === memberId)
  if (mine?.orderId === orderId) return resume(group, mine, input, member, openid, now)
  if (mine || !canTrySeat(group, now)) throw joinRefusal(group, memberId, now)
  const terms = (await termsOf([group])).get(group._id) as GroupTerms
  const fulfilment = await chosenFulfilment(terms.fulfilment, input.fulfilment, member, now)

  const _ = database().command
  const participant: GroupParticipant = { memberId, openid, nickname: member.nickname, orderId, joinedAt: now, fulfilment: fulfilment.type }
  const { doc } = (await groups()
    .where({
      _id: group._id,
      status: 'open',
      leaderPaid: true,
      count: _.lt(group.size),
      'participants.memberId': _.neq(memberId),
      expiresAt: _.gt(now),
    })
    .updateAndReturn({ count: _.inc(1), participants: _.push(participant) })) as { doc?: GroupRecord }
  if (!doc) {
    const fresh = await findGroup(group._id)
    const seat = fresh?.participants.find((held) => held.orderId === orderId)
    if (fresh && seat) return resume(fresh, seat, input, member, openid, now)
    throw joinRefusal(fresh, memberId, now)
  }

  let campaign: GroupCampaign | null
  try {
    campaign = await takeUnit(group.campaignId, now, null)
  } catch (error) {
    await leaveGroup(group._id, orderId, now)
    throw error
  }
  if (!campaign) {
    await leaveGroup(group._id, orderId, now)
    throw new AppError('SOLD_OUT', '库存不足，无法参团')
  }
  return placeAndPay(group._id, newGroupOrder(campaign, group, memberId, orderId, fulfilment, input.requestId, now), input.payMethod, openid, now, input.payPassword)
}

/** Whether the conditional seat update is worth sending (it checks all of this again, atomically). */
function canTrySeat(group: GroupRecord, now: Date): boolean {
  return group.status === 'open' && group.leaderPaid && group.count < group.size && now < new Date(group.expiresAt)
}

// ---------------------------------------------------------------------------------------------
// Paid, success, notices

/** The leader's order is the one placed by the request that opened the group. */
function isLeaderOrder(order: Pick<OrderRecord, 'memberId' | 'requestId' | 'groupId'>): boolean {
  return order.groupId === groupIdFor(order.memberId, order.requestId)
}

/**
 * Counts a paid group-buy order on its group once, and marks the group a success when every seat
 * is taken and paid before it expires. A payment that lands on a group that has failed is refunded.
 * Idempotent: safe for duplicate payment notifications and for the sweeper's repair of a lost transition.
 */
export async function onGroupOrderPaid(order: OrderRecord, now: Date): Promise<void> {
  if (order.kind !== 'groupbuy' || !order.groupId) return
  const _ = database().command
  const leader = isLeaderOrder(order)
  const joined = fact('group_joined', order._id, now, { memberId: order.memberId, groupId: order.groupId, orderId: order._id, leader })
  const update: Record<string, unknown> = { paidOrders: _.push(order._id), paidCount: _.inc(1), ...carryFacts(joined) }
  if (leader) update.leaderPaid = true
  const { doc } = (await groups()
    .where({ _id: order.groupId, status: 'open', 'participants.orderId': order._id, paidOrders: _.neq(order._id) })
    .updateAndReturn(update)) as { doc?: GroupRecord }
  const group = doc ?? (await findGroup(order.groupId))
  if (!group) return
  if (group.status === 'failed' && isParticipant(group, order.memberId)) {
    // Paid after the group failed (a late WeChat payment, a race with the sweeper): refund it.
    await closeOrder(order, '拼团失败，自动退款', 'system', now).catch((error) => console.error(`[group-buy] refund of late payment ${order._id}`, error))
    return
  }
  if (canSucceed(group, now)) await markSuccess(group, now)
}

async function markSuccess(group: GroupRecord, now: Date): Promise<void> {
  const _ = database().command
  const { updated } = await groups()
    .where({ _id: group._id, status: 'open', count: group.size, paidCount: group.size, expiresAt: _.gt(now) })
    .update({ status: 'success', succeededAt: now })
  if (updated !== 1) return
  await markGroupFormed(group._id, now)
  await notifyGroup(group, 'success', now)
  await groups().where({ _id: group._id, notifiedAt: null }).update({ notifiedAt: now })
}

/**
 * Sends one participant the result of their group, at most once: the notice record (id from group,
 * result and member) is claimed first, then the message goes through the WeChat port. A send
 * refused by WeChat (no subscription grant, 43101) is recorded on the notice, not retried.
 */
export async function notifyOnce(group: Pick<GroupRecord, '_id' | 'title' | 'size'>, participant: GroupParticipant, result: GroupResult, now: Date): Promise<boolean> {
  const id = groupNoticeId(group._id, result, participant.memberId)
  try {
    await notices().add({ _id: id, groupId: group._id, memberId: participant.memberId, result, at: now, error: null })
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
  try {
    await callOpenApi('subscribeMessage.send', groupResultMessage(group, participant, result))
  } catch (error) {
    console.error(`[group-buy] notice ${id} not sent`, error)
    await notices()
      .doc(id)
      .update({ error: (error as Error).message })
      .catch(() => undefined)
  }
  return true
}

export async function notifyGroup(group: GroupRecord, result: GroupResult, now: Date): Promise<void> {
  await Promise.all(group.participants.map((participant) => notifyOnce(group, participant, result, now)))
}
