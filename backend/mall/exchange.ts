/**
 * 积分兑换: one exchange is one order whose id comes from the member and the request id, so a
 * retry finds it. Steps, each a conditional update that leaves a mark (backend/mall.ts):
 *   1. an existing order of this request → finish it (pay if unpaid, issue its coupon if paid), take nothing;
 *   2. the per-member limit (`mall_limits`), 3. the stock (`products`, with a hold),
 *   4. the order (created, bound to the hold), 5. payment: points at once; points + cash by stored
 *      value at once, or by WeChat Pay (points now, the notification completes it).
 * A refusal after stock was taken closes the order, which gives back points, money and stock; a
 * crash is finished by the retry, or undone by the sweeper once the order's deadline passes.
 */
import type { ActionResults, ParsedInput } from '../../domain/contract'
import { AppError } from '../../domain/shared/errors'
import { inactiveCardError, memberIdFor, type MemberRecord } from '../../domain/membership'
import { fulfilmentFor, isVisibleTo, mallOrderId, payMethodFor, priceOf, type ExchangePayMethod, type Product } from '../../domain/mall/mall'
import { newOrder, type OrderRecord } from '../../domain/orders'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { findTemplate } from '../coupons'
import { findProduct, freeLimitOf, giveBackLimit, orderFacts, releaseHold, settleHold, takeLimit, takeStock, type MallOrderRecord } from '../mall/mall'
import { findMember, notAMember, stores } from '../membership'
import { afterPaid, closeOrder, createOrder, findOrder, payFromLedger, payWithWechat, toOrderView, type OrderKinds } from '../orders'

/** What follows a paid order, from the order-kind map the entry point passes in. */
type AfterPaid = (order: OrderRecord, now: Date) => Promise<void>

type Result = ActionResults['mall']['exchange']
type Input = ParsedInput<'mall', 'exchange'>

export async function tierName(tierId: string): Promise<string> {
  const { tiers } = await loyaltyConfig()
  return tiers.find((tier) => tier._id === tierId)?.name ?? tierId
}

/** The refusal for a product the member's tier does not see. */
export async function hiddenFromTier(product: Product): Promise<AppError> {
  const names = await Promise.all(product.visibleTiers.map(tierName))
  return new AppError('TIER_RESTRICTED', `该商品仅限${names.join('、')}兑换`)
}

/** Who may exchange it at all: an active card, a product on shelf that the member's tier sees. */
async function mayExchange(member: MemberRecord, product: Product): Promise<void> {
  if (member.status !== 'active') throw inactiveCardError(member.status)
  if (!product.onShelf) throw new AppError('PRODUCT_OFF_SHELF', '商品已下架')
  if (!isVisibleTo(product, member.tierId)) throw await hiddenFromTier(product)
}

/** What can be checked before anything is taken: the limit, points, stored value, coupon copies left. */
async function precheck(member: MemberRecord, product: Product, input: Input): Promise<void> {
  if (input.quantity > product.perMemberLimit)
    throw new AppError('LIMIT_REACHED', `每人限兑 ${product.perMemberLimit} 件`, [{ path: 'quantity', message: `must be at most ${product.perMemberLimit}` }])
  const price = priceOf(product, input.quantity)
  if (member.points < price.points) throw new AppError('INSUFFICIENT_POINTS', `积分不足：需要 ${price.points} 积分，当前 ${member.points} 积分`)
  if (input.payMethod === 'balance' && product.amount > 0 && member.balance < price.amount) throw new AppError('INSUFFICIENT_BALANCE', '储值余额不足')
  if (product.kind === 'coupon' && product.couponTemplateId) {
    const template = await findTemplate(product.couponTemplateId).catch((error) => {
      if (error instanceof AppError && error.reason === 'COUPON_TEMPLATE_NOT_FOUND') throw new AppError('COUPON_WITHDRAWN', '该优惠券已停止兑换')
      throw error
    })
    if (template.taken + input.quantity > template.total) throw new AppError('COUPON_SOLD_OUT', '来晚了，优惠券已兑完')
    const _ = database().command
    const { total: held } = await database()
      .collection('coupons')
      .where({ memberId: member._id, templateId: template._id, source: _.neq('friend') })
      .count()
    if (held + input.quantity > template.perMemberLimit) throw new AppError('COUPON_LIMIT_REACHED', `该优惠券每人限领 ${template.perMemberLimit} 张`)
  }
}

/** After a refusal: the order is closed (points, money and stock come back) and stops counting against the limit. */
async function closeAfterRefusal(orderId: string, reason: string, memberId: string, now: Date): Promise<void> {
  try {
    const current = await findOrder(orderId)
    if (!current) return
    const closed = current.status === 'created' || current.status === 'paid' ? await closeOrder(current, reason, memberId, now) : current
    await freeLimitOf(closed)
  } catch (error) {
    console.error(`[mall] closing ${orderId} after a refusal failed; the sweeper closes it after its deadline`, error)
  }
}

/**
 * Pays an unpaid order the way the exchange chose. A business refusal (too few points, card
 * lost, coupons gone) closes the order; any other failure leaves it for the retry or the sweeper
 * (closing then could miss a payment whose ledger copy is not written yet).
 */
async function pay(order: MallOrderRecord, openid: string, now: Date, afterOrderPaid: AfterPaid, payPassword?: string): Promise<{ order: OrderRecord; payment: Result['payment'] }> {
  const method: ExchangePayMethod = order.exchangePayMethod ?? (order.amount > 0 ? 'balance' : 'points')
  try {
    if (method === 'wechat') return await payWithWechat(order, openid, now)
    return { order: await payFromLedger(order, method, now, afterOrderPaid, payPassword), payment: null }
  } catch (error) {
    // contention (ABORTED) took nothing: the order stays for the client's retry of the same request
    if (error instanceof AppError && error.code !== 'ABORTED') await closeAfterRefusal(order._id, `兑换失败：${error.message}`, order.memberId, now)
    throw error
  }
}

/**
 * A retry (or a duplicate) of an exchange whose order exists: finish it, take nothing new. The
 * order is the first request's, whatever this one names (another product, quantity, method).
 */
async function resume(order: MallOrderRecord, openid: string, now: Date, afterOrderPaid: AfterPaid, payPassword?: string): Promise<Result> {
  const facts = orderFacts(order)
  const productId = order.productId ?? order.stock?.id
  if (facts.abandoned || order.status === 'cancelled' || order.status === 'refunded') {
    await freeLimitOf(order)
    return { order: await toOrderView(order), payment: null }
  }
  if (facts.stockAttempt && productId) await settleHold(productId, facts.stockAttempt)
  if (order.status === 'created') {
    if (order.payBy && now >= new Date(order.payBy)) {
      await closeAfterRefusal(order._id, '超时未支付，订单已关闭', order.memberId, now)
      return { order: await toOrderView((await findOrder(order._id)) ?? order), payment: null }
    }
    const paid = await pay(order, openid, now, afterOrderPaid, payPassword)
    return { order: await toOrderView(paid.order), payment: paid.payment }
  }
  // paid before a crash: make sure what payment triggers (a coupon) happened; it is idempotent
  if (order.status === 'paid') {
    try {
      await afterOrderPaid(order, now)
    } catch (error) {
      if (error instanceof AppError && error.code !== 'ABORTED') await closeAfterRefusal(order._id, `兑换失败：${error.message}`, order.memberId, now)
      throw error
    }
  }
  return { order: await toOrderView(order), payment: null }
}

export async function exchange(input: Input, openid: string, now: Date, kinds: OrderKinds): Promise<Result> {
  const afterOrderPaid = afterPaid(kinds)
  const memberId = memberIdFor(openid)
  const orderId = mallOrderId(memberId, input.requestId)
  const [existing, member, product, storeMap] = await Promise.all([findOrder(orderId), findMember(memberId), findProduct(input.productId), stores(now.getTime())])
  if (existing) return resume(existing as MallOrderRecord, openid, now, afterOrderPaid, input.payPassword)
  if (!member) throw notAMember()
  if (!product) throw new AppError('PRODUCT_NOT_FOUND', '商品不存在或已下架')
  await mayExchange(member, product)
  const fulfilment = fulfilmentFor(product, input.fulfilment, { storeExists: (id) => storeMap.has(id), addresses: member.addresses ?? [] })
  const method = payMethodFor(product, input.payMethod)
  await precheck(member, product, input)
  const price = priceOf(product, input.quantity)

  try {
    await takeLimit(product, memberId, orderId, input.quantity, now)
  } catch (error) {
    // the same request, concurrently with another quantity, counted first: answer as that one
    const placedMeanwhile = error instanceof AppError && error.code === 'ALREADY_EXISTS' ? await findOrder(orderId) : null
    if (placedMeanwhile) return resume(placedMeanwhile as MallOrderRecord, openid, now, afterOrderPaid, input.payPassword)
    throw error
  }
  let hold: { attempt: string; pushed: boolean }
  try {
    hold = await takeStock(product, orderId, memberId, input.quantity, now)
  } catch (error) {
    if (error instanceof AppError && (error.code === 'FAILED_PRECONDITION' || error.code === 'ALREADY_EXISTS' || error.code === 'ABORTED')) {
      // the same request may have created its order (and dropped its hold) meanwhile
      const placedMeanwhile = await findOrder(orderId)
      if (placedMeanwhile && (placedMeanwhile as MallOrderRecord).productId !== product._id) await giveBackLimit(product._id, memberId, orderId, input.quantity)
      if (placedMeanwhile) return resume(placedMeanwhile as MallOrderRecord, openid, now, afterOrderPaid, input.payPassword)
      await giveBackLimit(product._id, memberId, orderId, input.quantity)
    }
    throw error
  }

  const record: MallOrderRecord = {
    ...newOrder({
      id: orderId,
      kind: 'mall',
      memberId,
      title: product.name,
      quantity: input.quantity,
      points: price.points,
      amount: price.amount,
      stock: { collection: 'products', id: product._id, quantity: input.quantity },
      reason: '积分兑换下单',
      requestId: input.requestId,
      now,
      fulfilment,
      issuesCouponTemplateId: product.kind === 'coupon' ? product.couponTemplateId : null,
    }),
    productId: product._id,
    exchangePayMethod: method,
    stockAttempt: hold.attempt,
  }
  const placed = await createOrder(record)
  if (!placed.created) {
    // the same request got there first (or the sweeper gave up on it): this attempt's stock goes back unless that order owns it
    const other = placed.order as MallOrderRecord
    if (orderFacts(other).stockAttempt !== hold.attempt) await releaseHold(product._id, hold.attempt, input.quantity)
    // that request was for another product: what this one counted against its limit goes back too
    if (other.productId !== product._id) await giveBackLimit(product._id, memberId, orderId, input.quantity)
    return resume(other, openid, now, afterOrderPaid, input.payPassword)
  }
  await settleHold(product._id, hold.attempt)
  const paid = await pay(record, openid, now, afterOrderPaid, input.payPassword)
  return { order: await toOrderView(paid.order), payment: paid.payment }
}
