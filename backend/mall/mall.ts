/**
 * The points mall's shared pieces: products loaded and validated, the per-member limit and the
 * stock taken with single-document conditional updates that leave a mark (so a retry never takes
 * twice), placeholder orders for exchanges that died half way, and the sweeper that closes unpaid
 * orders past their deadline and gives back stock held by dead exchanges.
 *
 * Marks (see domain/mall.ts):
 *   products/<id>.holds[]          { order, member, attempt, quantity, at }  stock taken, not yet bound to its order
 *   mall_limits/<product>:<member> { count, entries: [{ order, quantity, at }] }  units counted against the limit
 * An order records the hold it was bound to (`stockAttempt`); whoever finds a hold — the exchange,
 * its retry, the sweeper — settles it (the order owns the units), releases it (units back, once:
 * the update is guarded by the hold's presence) or, when its order never came, first puts a
 * cancelled placeholder order in that id so it can never be created later, then releases it.
 */
import { randomBytes } from 'node:crypto'
import { ConfigError } from '../../domain/shared/config'
import { AppError } from '../../domain/shared/errors'
import {
  holdAction,
  limitDocId,
  limitEntryAction,
  limitMessage,
  ORPHAN_GRACE_MS,
  parseProduct,
  stockHoldSchema,
  type ExchangePayMethod,
  type OrderFacts,
  type Product,
  type StockHold,
} from '../../domain/mall/mall'
import type { OrderRecord } from '../../domain/orders'
import { businessNow } from '../platform/clock'
import { database, isDuplicateKey } from '../platform/cloud'
import { flushOutbox } from '../loyalty'
import { findMember } from '../membership'
import { createOrder, findOrder, releaseUnpaidOrder, type OrderKinds, type ReleaseOutcome } from '../orders'
import type { Job } from '../platform/job-runner'

const productsCollection = () => database().collection('products')
const limitsCollection = () => database().collection('mall_limits')
const ordersCollection = () => database().collection('orders')

/** A points-mall order as stored: the order record plus what the mall needs to finish or undo it. */
export type MallOrderRecord = OrderRecord & {
  productId: string
  /** how the exchange pays (points only, or points + stored value / WeChat Pay) */
  exchangePayMethod: ExchangePayMethod | null
  /** the stock hold this order was bound to when created */
  stockAttempt: string | null
  /** a placeholder for an exchange that died before creating its order */
  abandoned?: boolean
}

export function orderFacts(order: OrderRecord): OrderFacts {
  const mall = order as Partial<MallOrderRecord>
  return { status: order.status, abandoned: mall.abandoned === true, stockAttempt: mall.stockAttempt ?? null }
}

export function sameRequestOtherInput(): AppError {
  return new AppError('REQUEST_REUSED', '该请求已用于另一笔兑换，请刷新后重试', [{ path: 'requestId', message: 'already used for a different exchange' }])
}

// ---------- products ----------

export async function findProduct(productId: string): Promise<Product | null> {
  const { data } = await productsCollection().doc(productId).get()
  return data[0] ? parseProduct(data[0]) : null
}

/** Products on shelf; a bad document is left out of the shelf and logged with its field. */
export async function productsOnShelf(): Promise<Product[]> {
  const { data } = await productsCollection().where({ onShelf: true }).limit(1000).get()
  const shelf: Product[] = []
  for (const document of data) {
    try {
      shelf.push(parseProduct(document))
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      console.error(`[mall] ${error.message}`)
    }
  }
  return shelf
}

// ---------- stock ----------

/** Rounds of update-then-read before giving up on a document that keeps changing. */
const MAX_ROUNDS = 6

/**
 * Takes `quantity` units for the order: one conditional update that also leaves the hold. If
 * the order already holds stock (a retry, or the same request twice at once), that hold is used.
 */
export async function takeStock(product: Product, orderId: string, memberId: string, quantity: number, now: Date): Promise<{ attempt: string; pushed: boolean }> {
  const _ = database().command
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const attempt = randomBytes(9).toString('hex')
    const hold: StockHold = { order: orderId, member: memberId, attempt, quantity, at: now }
    const { updated } = await productsCollection()
      .where({ _id: product._id, onShelf: true, stock: _.gte(quantity), 'holds.order': _.neq(orderId) })
      .update({ stock: _.inc(-quantity), sold: _.inc(quantity), holds: _.push({ each: [hold] }) })
    if (updated === 1) return { attempt, pushed: true }
    const current = await findProduct(product._id)
    const held = current?.holds.find((entry) => entry.order === orderId)
    if (held) {
      if (held.quantity !== quantity) throw sameRequestOtherInput()
      return { attempt: held.attempt, pushed: false }
    }
    if (!current || !current.onShelf) throw new AppError('PRODUCT_OFF_SHELF', '商品已下架')
    if (current.stock < quantity) throw current.stock > 0 ? new AppError('NOT_ENOUGH_STOCK', `库存不足，仅剩 ${current.stock} 件`) : new AppError('SOLD_OUT', '来晚了，商品已兑完')
    // units came back, or a hold of this order was settled, between the update and the read: try again
  }
  throw new AppError('BUSY', '兑换的人太多了，请稍后再试')
}

/** The order owns the units of this hold: drop the mark, stock unchanged. */
export async function settleHold(productId: string, attempt: string): Promise<void> {
  const _ = database().command
  await productsCollection()
    .where({ _id: productId, 'holds.attempt': attempt })
    .update({ holds: _.pull({ attempt }) })
}

/** Gives the hold's units back and drops the mark; once, whoever asks. */
export async function releaseHold(productId: string, attempt: string, quantity: number): Promise<boolean> {
  const _ = database().command
  const { updated } = await productsCollection()
    .where({ _id: productId, holds: _.elemMatch({ attempt, quantity }) })
    .update({ stock: _.inc(quantity), sold: _.inc(-quantity), holds: _.pull({ attempt }) })
  return updated === 1
}

// ---------- per-member limit ----------

interface LimitEntry {
  order: string
  quantity: number
  at: Date
}

interface LimitDocument {
  _id: string
  productId: string
  memberId: string
  count: number
  entries: LimitEntry[]
}

async function readLimit(id: string): Promise<LimitDocument | null> {
  const { data } = await limitsCollection().doc(id).get()
  return (data[0] as LimitDocument | undefined) ?? null
}

async function freeLimitEntry(limitId: string, entry: Pick<LimitEntry, 'order' | 'quantity'>): Promise<void> {
  const _ = database().command
  await limitsCollection()
    .where({ _id: limitId, entries: _.elemMatch({ order: entry.order, quantity: entry.quantity }) })
    .update({ count: _.inc(-entry.quantity), entries: _.pull({ order: entry.order }) })
}

/** An order that is over (cancelled, refunded, abandoned) no longer counts against the limit. */
export async function freeLimitOf(order: OrderRecord): Promise<void> {
  const productId = (order as Partial<MallOrderRecord>).productId ?? order.stock?.id
  if (!productId || limitEntryAction(orderFacts(order), order.createdAt, businessNow()) !== 'free') return
  await freeLimitEntry(limitDocId(productId, order.memberId), { order: order._id, quantity: order.quantity })
}

/**
 * Frees the entries of orders that are over (and of exchanges long dead, after putting a
 * placeholder in their order id). Returns the units still counted.
 */
async function reconcileLimit(limit: LimitDocument, product: Product, now: Date): Promise<{ freed: number; held: number }> {
  const _ = database().command
  const ids = limit.entries.map((entry) => entry.order)
  const { data } = ids.length
    ? await ordersCollection()
        .where({ _id: _.in(ids) })
        .limit(1000)
        .get()
    : { data: [] }
  const orders = new Map((data as OrderRecord[]).map((order) => [order._id, order]))
  let freed = 0
  let held = 0
  for (const entry of limit.entries) {
    let order = orders.get(entry.order) ?? null
    let action = limitEntryAction(order ? orderFacts(order) : null, entry.at, now)
    if (action === 'abandon') {
      order = await abandonOrder(entry.order, limit.memberId, product, entry.quantity, now)
      action = limitEntryAction(orderFacts(order), entry.at, now)
    }
    if (action === 'free') {
      await freeLimitEntry(limit._id, entry)
      freed += entry.quantity
    } else held += entry.quantity
  }
  return { freed, held }
}

/**
 * Counts `quantity` units of the order against the member's limit for the product, race-free:
 * `count ≤ limit − quantity` and "not yet counted for this order" are the update's conditions.
 */
export async function takeLimit(product: Product, memberId: string, orderId: string, quantity: number, now: Date): Promise<void> {
  const _ = database().command
  const id = limitDocId(product._id, memberId)
  const room = product.perMemberLimit - quantity
  let reconciled = false
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { updated } = await limitsCollection()
      .where({ _id: id, count: _.lte(room), 'entries.order': _.neq(orderId) })
      .update({ count: _.inc(quantity), entries: _.push({ each: [{ order: orderId, quantity, at: now }] }) })
    if (updated === 1) return
    const limit = await readLimit(id)
    if (!limit) {
      try {
        await limitsCollection().add({ _id: id, productId: product._id, memberId, count: 0, entries: [] })
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
      }
      continue
    }
    const mine = limit.entries.find((entry) => entry.order === orderId)
    if (mine) {
      if (mine.quantity !== quantity) throw sameRequestOtherInput()
      return
    }
    if (limit.count <= room) continue // changed between the update and the read
    if (reconciled) break
    reconciled = true
    const { freed, held } = await reconcileLimit(limit, product, now)
    if (freed === 0) throw new AppError('LIMIT_REACHED', limitMessage(product.perMemberLimit, held))
  }
  const limit = await readLimit(id)
  throw new AppError('LIMIT_REACHED', limitMessage(product.perMemberLimit, limit?.count ?? 0))
}

/** Gives back a limit entry of an order that was never created (stock ran out). */
export async function giveBackLimit(productId: string, memberId: string, orderId: string, quantity: number): Promise<void> {
  await freeLimitEntry(limitDocId(productId, memberId), { order: orderId, quantity })
}

// ---------- placeholders and holds of dead exchanges ----------

/**
 * Puts a cancelled placeholder order in the id of an exchange that never created its order, so
 * it can never be created later; returns whatever order now has that id (the placeholder, or the
 * real order if it came first).
 */
export async function abandonOrder(orderId: string, memberId: string, product: Pick<Product, '_id' | 'name' | 'points' | 'amount'>, quantity: number, now: Date): Promise<MallOrderRecord> {
  const prefix = `mall:${memberId}:`
  const placeholder: MallOrderRecord = {
    _id: orderId,
    kind: 'mall',
    memberId,
    status: 'cancelled',
    title: product.name,
    quantity,
    points: product.points * quantity,
    amount: product.amount * quantity,
    payMethod: null,
    payBy: null,
    stock: null,
    stockReleasedAt: now,
    fulfilment: null,
    issuesCouponTemplateId: null,
    groupId: null,
    requestId: orderId.startsWith(prefix) ? orderId.slice(prefix.length) : orderId,
    createdAt: now,
    transitions: [{ from: null, to: 'cancelled', at: now, reason: '兑换未完成，已自动关闭', by: 'system' }],
    outTradeNo: null,
    productId: product._id,
    exchangePayMethod: null,
    stockAttempt: null,
    abandoned: true,
  }
  return (await createOrder(placeholder)).order as MallOrderRecord
}

/** Settles, releases or (after the grace period, with a placeholder) releases one hold. */
export async function resolveHold(product: Pick<Product, '_id' | 'name' | 'points' | 'amount'>, hold: StockHold, now: Date): Promise<'settled' | 'released' | 'kept'> {
  let order: OrderRecord | null = await findOrder(hold.order)
  let action = holdAction(order ? orderFacts(order) : null, hold, now)
  if (action === 'keep') return 'kept'
  if (action === 'abandon') {
    order = await abandonOrder(hold.order, hold.member, product, hold.quantity, now)
    action = holdAction(orderFacts(order), hold, now)
  }
  if (action === 'settle') {
    await settleHold(product._id, hold.attempt)
    return 'settled'
  }
  await releaseHold(product._id, hold.attempt, hold.quantity)
  if (order) await freeLimitOf(order)
  return 'released'
}

// ---------- the sweeps ----------

/**
 * An unpaid order past its deadline, by the same rule as every order's (backend/orders/release.ts:
 * marked paid if its payment entry covers it, otherwise closed with everything given back) — after
 * copying the member's outbox to the ledger, so a payment applied just before a crash is seen.
 */
export async function closeExpiredMallOrder(order: OrderRecord, now: Date, kinds: OrderKinds): Promise<ReleaseOutcome> {
  const member = await findMember(order.memberId)
  if (member) await flushOutbox(member)
  const outcome = await releaseUnpaidOrder(order, now, kinds)
  const current = await findOrder(order._id)
  if (current) await freeLimitOf(current)
  return outcome
}

/**
 * Resolves stock holds older than the grace period: settled when their order owns them, released
 * (with a placeholder order when the order never came) otherwise. The other sweepers that close
 * unpaid orders do not know about holds; this is what gives back the stock of an exchange that
 * died between taking stock and creating its order.
 */
export const staleHoldsJob: Job<Record<string, never>> = {
  name: 'mall-holds',
  collection: 'products',
  where: (_params, now) => ({ 'holds.at': database().command.lt(new Date(now.getTime() - ORPHAN_GRACE_MS)) }),
  fields: { name: true, points: true, amount: true, holds: true },
  async work(document, _params, now) {
    const cutoff = new Date(now.getTime() - ORPHAN_GRACE_MS)
    const product = { _id: document._id, name: String(document.name ?? document._id), points: Number(document.points ?? 0), amount: Number(document.amount ?? 0) }
    const outcomes = { releasedHolds: 0, settledHolds: 0 }
    for (const raw of (document.holds as unknown[] | undefined) ?? []) {
      const parsed = stockHoldSchema.safeParse(raw)
      if (!parsed.success) {
        console.error(`[mall] products/${document._id}: unreadable hold ${JSON.stringify(raw)}`)
        continue
      }
      if (parsed.data.at >= cutoff) continue
      const outcome = await resolveHold(product, parsed.data, now)
      if (outcome === 'released') outcomes.releasedHolds++
      if (outcome === 'settled') outcomes.settledHolds++
    }
    return { changed: outcomes.releasedHolds + outcomes.settledHolds, outcomes }
  },
}
