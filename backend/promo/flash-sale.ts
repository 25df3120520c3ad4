/**
 * Flash sales (秒杀) on the database. An attempt is three database calls on its success path:
 *
 *   0. `orders.where({ memberId, requestId, kind: 'flash' })`: the same request again (a retry, a
 *      double tap, or one naming another sale) is answered with its first order before anything
 *      is taken — no unit of any sale is held by a replay, even for a moment;
 *   1. `flash_sales.where({ _id, stock > 0, startAt ≤ now, endAt > now, fulfilment: way }).updateAndReturn({ stock −1, sold +1 })`
 *      takes a unit or answers that there was none — the stock is never read and decided on, so
 *      it can never oversell; the returned document gives the title, price and limit;
 *   2. the order goes in under the member's first free slot id `flash:<sale>:<member>:<n>`
 *      (n ≤ perMemberLimit), so the database's `_id` uniqueness enforces 每人限购.
 *
 * A taken slot (an earlier purchase) moves on to the next slot while keeping the unit; when every
 * slot is taken the unit goes back (`stock +1`) and the member is told the limit. Two attempts of
 * the same request at once on the same sale (both past step 0 before either order exists): the
 * second finds the first's order in a slot, gives its unit back and answers with that order. (At
 * once on two different sales, both would be placed: what two request ids could get anyway.)
 *
 * How the unit reaches the member is checked before step 1 (a store from the cached store list, or
 * an address of the member, whose read then replaces the cached card-status check); whether the sale
 * offers that way is part of step 1's condition, so a way it does not offer never takes a unit.
 *
 * Step 0 costs the third call (2 before the replay check; a refusal costs 2, a cold attempt 4).
 * It cannot ride on step 1 or 2: the stock take is on the sale's document and knows nothing of
 * the member's other sales, and detecting the replay at the order insert would come after a unit
 * was taken. The lookup is served by the orders index on memberId (and requestId).
 *
 * The sale document is never cached. What a warm instance does keep for a short while: that a
 * member was seen active (so the card-status check costs no call), and the sale's window, used
 * only to word a refusal (未开始 / 已结束 / 已抢光) without reading the sale again.
 */
import type { FlashSaleView, OrderView } from '../../domain/contract'
import { parseConfigDocument } from '../../domain/shared/config'
import { flashBuyRefusal, flashOrderId, flashOrderIds, flashSaleSchema, perMemberLimitReached, toFlashSaleView, type FlashSale } from '../../domain/promo/flash-sale'
import { FULFILMENT_TYPES, newOrder, resolveFulfilment, type Fulfilment, type FulfilmentInput, type OrderRecord } from '../../domain/orders'
import { database } from '../platform/cloud'
import { inactiveCardError, type MemberRecord } from '../../domain/membership'
import { findMember, notAMember, stores } from '../membership'
import { createOrder, findOrder, toOrderView } from '../orders'

const sales = () => database().collection('flash_sales')
const orders = () => database().collection('orders')

// ---------------------------------------------------------------------------------------------
// Short-lived knowledge of a warm instance (never the stock)

/** How long a member seen active may buy without the card status being read again. */
export const ACTIVE_MEMBER_TTL_MS = 60_000
const ACTIVE_MEMBERS_KEPT = 50_000
const activeMembers = new Map<string, number>()

function rememberActive(memberId: string): void {
  activeMembers.delete(memberId)
  activeMembers.set(memberId, Date.now())
  if (activeMembers.size > ACTIVE_MEMBERS_KEPT) {
    for (const key of [...activeMembers.keys()].slice(0, ACTIVE_MEMBERS_KEPT / 10)) activeMembers.delete(key)
  }
}

/** The member, read: refuses a visitor who never joined and a lost or frozen card. */
async function readActiveMember(memberId: string): Promise<MemberRecord> {
  const member = await findMember(memberId)
  if (!member) throw notAMember()
  if (member.status !== 'active') {
    activeMembers.delete(memberId)
    throw inactiveCardError(member.status)
  }
  rememberActive(memberId)
  return member
}

/** As readActiveMember, but a member seen active within the TTL passes without a read. */
export async function requireActiveMember(memberId: string): Promise<void> {
  const seen = activeMembers.get(memberId)
  if (seen !== undefined && Date.now() - seen < ACTIVE_MEMBER_TTL_MS) return
  await readActiveMember(memberId)
}

/**
 * How the unit reaches the member, checked before anything is taken: a store that exists (the
 * store list is cached), or one of the member's addresses (delivery reads the member, in place of
 * the active check). Whether the sale offers the way is checked by the stock take itself.
 */
async function chosenFulfilment(memberId: string, input: FulfilmentInput | undefined, now: Date): Promise<Fulfilment> {
  if (input?.type === 'delivery') return resolveFulfilment(FULFILMENT_TYPES, input, { storeExists: () => false, addresses: (await readActiveMember(memberId)).addresses ?? [] })
  const [storeMap] = await Promise.all([input ? stores(now.getTime()) : new Map(), requireActiveMember(memberId)])
  return resolveFulfilment(FULFILMENT_TYPES, input, { storeExists: (id) => storeMap.has(id), addresses: [] })
}

const WINDOW_TTL_MS = 10_000
const windows = new Map<string, { at: number; sale: Promise<FlashSale | null> }>()

/** The sale as last read (≤ 10 s ago), for wording a refusal only. */
function saleForRefusal(saleId: string): Promise<FlashSale | null> {
  const cached = windows.get(saleId)
  if (cached && Date.now() - cached.at < WINDOW_TTL_MS) return cached.sale
  const sale = findSale(saleId)
  windows.set(saleId, { at: Date.now(), sale })
  sale.catch(() => windows.delete(saleId))
  if (windows.size > 1000) windows.delete(windows.keys().next().value as string)
  return sale
}

// ---------------------------------------------------------------------------------------------

export async function findSale(saleId: string): Promise<FlashSale | null> {
  const { data } = await sales().doc(saleId).get()
  return data[0] ? parseConfigDocument(flashSaleSchema, 'flash_sales', data[0]) : null
}

/** Sales to show: those not ended more than a day ago, soonest first. */
export async function listSales(memberId: string, now: Date): Promise<FlashSaleView[]> {
  const _ = database().command
  const [{ data }, member] = await Promise.all([
    sales()
      .where({ endAt: _.gt(new Date(now.getTime() - 86_400_000)) })
      .orderBy('startAt', 'asc')
      .limit(50)
      .get(),
    findMember(memberId),
  ])
  const list = (data as unknown[]).map((doc) => parseConfigDocument(flashSaleSchema, 'flash_sales', doc))
  if (member?.status === 'active') rememberActive(memberId)
  const bought = new Map<string, number>()
  const slotIds = member ? list.flatMap((sale) => flashOrderIds(sale, memberId)) : []
  if (slotIds.length > 0) {
    const { data: held } = await orders()
      .where({ _id: _.in(slotIds) })
      .field({ _id: true, stock: true })
      .limit(1000)
      .get()
    for (const order of held as Pick<OrderRecord, '_id' | 'stock'>[]) {
      const saleId = order.stock?.id
      if (saleId) bought.set(saleId, (bought.get(saleId) ?? 0) + 1)
    }
  }
  return list.map((sale) => toFlashSaleView(sale, bought.get(sale._id) ?? 0, now))
}

async function giveBackUnit(saleId: string): Promise<void> {
  const _ = database().command
  await sales()
    .doc(saleId)
    .update({ stock: _.inc(1), sold: _.inc(-1) })
}

function newFlashOrder(sale: FlashSale, memberId: string, slot: number, fulfilment: Fulfilment, requestId: string, now: Date): OrderRecord {
  return newOrder({
    id: flashOrderId(sale._id, memberId, slot),
    kind: 'flash',
    memberId,
    title: sale.title,
    quantity: 1,
    points: 0,
    amount: sale.price,
    stock: { collection: 'flash_sales', id: sale._id, quantity: 1 },
    reason: '秒杀下单',
    requestId,
    now,
    fulfilment,
  })
}

/** The member's order of an earlier attempt with this request id, whatever sale it named. */
async function earlierFlashOrder(memberId: string, requestId: string): Promise<OrderRecord | null> {
  const { data } = await orders().where({ memberId, requestId, kind: 'flash' }).limit(1).get()
  return (data[0] as OrderRecord | undefined) ?? null
}

/**
 * One flash-sale attempt. Success: an unpaid order (payBy = now + 15 min) holding one unit,
 * paid afterwards with order.pay; unpaid, the sweeper releases it and the unit returns.
 * A replay of the request is recognised first and answered with its order, taking nothing.
 */
export async function flashBuy(input: { saleId: string; fulfilment?: FulfilmentInput; requestId: string }, memberId: string, now: Date): Promise<OrderView> {
  const [chosen, earlier] = await Promise.allSettled([chosenFulfilment(memberId, input.fulfilment, now), earlierFlashOrder(memberId, input.requestId)])
  if (earlier.status === 'rejected') throw earlier.reason
  // the same request again is answered with its first order, whatever it names now (even no way of fulfilment)
  if (earlier.value) return toOrderView(earlier.value)
  if (chosen.status === 'rejected') throw chosen.reason
  const fulfilment = chosen.value
  const _ = database().command
  const { doc } = (await sales()
    .where({ _id: input.saleId, stock: _.gt(0), startAt: _.lte(now), endAt: _.gt(now), fulfilment: fulfilment.type })
    .updateAndReturn({ stock: _.inc(-1), sold: _.inc(1) })) as { doc?: unknown }
  if (!doc) throw flashBuyRefusal(await saleForRefusal(input.saleId), now, fulfilment.type)

  let sale: FlashSale
  try {
    sale = parseConfigDocument(flashSaleSchema, 'flash_sales', doc)
  } catch (error) {
    await giveBackUnit(input.saleId)
    throw error
  }
  let placed: OrderRecord | null = null
  let replayed = false
  for (let slot = 1; slot <= sale.perMemberLimit && !placed; slot++) {
    const order = newFlashOrder(sale, memberId, slot, fulfilment, input.requestId, now)
    let stored: { order: OrderRecord; created: boolean }
    try {
      stored = await createOrder(order)
    } catch (error) {
      // The insert may have landed before the error (a timeout): give the unit back only when
      // the order is certainly not there, so a unit is never counted twice.
      const landed = await findOrder(order._id) // a failed read throws: the unit stays taken (never oversold)
      if (landed?.requestId === input.requestId) {
        placed = landed
        break
      }
      await giveBackUnit(sale._id)
      throw error
    }
    if (stored.created) placed = stored.order
    else if (stored.order.requestId === input.requestId) {
      // The same request again (a retry, a double tap): its order stands, the extra unit goes back.
      placed = stored.order
      replayed = true
    }
  }
  if (!placed || replayed) await giveBackUnit(sale._id)
  if (!placed) throw perMemberLimitReached(sale.perMemberLimit)
  return toOrderView(placed)
}
