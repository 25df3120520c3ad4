/**
 * The points mall (积分商城), pure rules: the product document (configuration edited in the
 * console, validated on load with errors naming the document and field), who may see a product
 * (by tier), the per-member limit, the price of a quantity, how an exchange is fulfilled, and what
 * to do with a stock hold or a limit entry whose exchange may have died half way.
 *
 * Stock and limits are taken with single-document conditional updates (backend/mall.ts). Each
 * take leaves a mark on the document it changed — a hold `{ order, attempt, quantity, at }` on
 * the product, an entry `{ order, quantity, at }` on the member's limit document — so a retry of
 * the same exchange (same order id) finds what it already took instead of taking it twice, and
 * a sweeper can give back what a crashed exchange took.
 */
import { z } from 'zod'
import type { OrderStatus, ProductView } from '../contract/trade'
import { imageSchema, parseConfigDocument } from '../shared/config'
import { AppError } from '../shared/errors'
import type { AddressRecord } from '../membership'
import { resolveFulfilment, type FulfilmentInput, type OrderRecord } from '../orders'

/** A hold or limit entry whose order is still missing after this long belongs to a dead exchange. */
export const ORPHAN_GRACE_MS = 5 * 60_000

const instant = z.union([z.date(), z.string(), z.number()]).pipe(z.coerce.date())

/** Stock taken for an order that is not yet (known to be) bound to it. */
export const stockHoldSchema = z.object({
  order: z.string().min(1),
  member: z.string().min(1),
  /** one per attempt at taking stock; the order records the attempt it was bound to */
  attempt: z.string().min(1),
  quantity: z.number().int().min(1),
  at: instant,
})
export type StockHold = z.infer<typeof stockHoldSchema>

export const productSchema = z
  .object({
    _id: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'must be a short id of letters, digits, _ and -'),
    name: z.string().trim().min(1).max(40),
    kind: z.enum(['goods', 'coupon']),
    /** coupon products: the coupon template each unit issues */
    couponTemplateId: z.string().min(1).max(40).nullable().default(null),
    category: z.string().trim().min(1).max(32),
    image: imageSchema,
    description: z.string().max(2000).default(''),
    /** points per unit */
    points: z.number().int('must be a whole number of points').min(0, 'must not be negative'),
    /** cash part per unit, fen (0 = points only) */
    amount: z.number().int('must be whole fen').min(0, 'must not be negative').max(100_000_000),
    stock: z.number().int().min(0, 'must not be negative'),
    sold: z.number().int().min(0).default(0),
    /** units one member may hold in orders that are not cancelled or refunded */
    perMemberLimit: z.number().int().min(1, 'must be at least 1').max(1000),
    /** tier ids that see the product; empty = every member */
    visibleTiers: z.array(z.string().min(1)).default([]),
    onShelf: z.boolean(),
    pinned: z.boolean().default(false),
    fulfilment: z.array(z.enum(['pickup', 'delivery'])).default([]),
    /** bookkeeping of exchanges in flight (never edited by hand) */
    holds: z.array(stockHoldSchema).default([]),
  })
  .passthrough()
  .superRefine((product, context) => {
    if (product.kind === 'coupon' && !product.couponTemplateId) {
      context.addIssue({ code: 'custom', path: ['couponTemplateId'], message: 'a coupon product names the coupon template it issues' })
    }
    if (product.kind === 'goods' && product.couponTemplateId) {
      context.addIssue({ code: 'custom', path: ['couponTemplateId'], message: 'only coupon products issue a coupon' })
    }
    if (product.kind === 'goods' && product.fulfilment.length === 0) {
      context.addIssue({ code: 'custom', path: ['fulfilment'], message: 'goods need pickup, delivery or both' })
    }
    if (product.points + product.amount <= 0) {
      context.addIssue({ code: 'custom', path: ['points'], message: 'a product costs points, cash or both' })
    }
  })
export type Product = z.infer<typeof productSchema>

/** Validates a product document; a bad one throws a ConfigError naming `products/<id>` and the field. */
export function parseProduct(document: unknown): Product {
  return parseConfigDocument(productSchema, 'products', document)
}

export function isVisibleTo(product: Pick<Product, 'visibleTiers'>, tierId: string | null): boolean {
  return product.visibleTiers.length === 0 || (tierId !== null && product.visibleTiers.includes(tierId))
}

export function priceOf(product: Pick<Product, 'points' | 'amount'>, quantity: number): { points: number; amount: number } {
  if (!Number.isInteger(quantity) || quantity < 1) throw new AppError('QUANTITY_INVALID', '数量至少为 1', [{ path: 'quantity', message: 'must be a whole number ≥ 1' }])
  return { points: product.points * quantity, amount: product.amount * quantity }
}

/** The per-member limit: units in the member's live orders of the product plus this quantity. */
export function withinLimit(heldUnits: number, quantity: number, perMemberLimit: number): boolean {
  return heldUnits + quantity <= perMemberLimit
}

export function limitMessage(perMemberLimit: number, heldUnits: number): string {
  return heldUnits > 0 ? `每人限兑 ${perMemberLimit} 件，您已兑换 ${heldUnits} 件` : `每人限兑 ${perMemberLimit} 件`
}

/** The order of one exchange: the same member and request id always name the same order. */
export function mallOrderId(memberId: string, requestId: string): string {
  return `mall:${memberId}:${requestId}`
}

/** The member's limit document for one product (`mall_limits`). */
export function limitDocId(productId: string, memberId: string): string {
  return `${productId}:${memberId}`
}

export function toProductView(product: Product): ProductView {
  return {
    productId: product._id,
    name: product.name,
    kind: product.kind,
    category: product.category,
    image: product.image,
    points: product.points,
    amount: product.amount,
    stock: product.stock,
    perMemberLimit: product.perMemberLimit,
    pinned: product.pinned,
    description: product.description,
    fulfilment: product.kind === 'goods' ? [...product.fulfilment] : [],
  }
}

/** Pinned first, then the cheapest in points, then by id (stable). */
function byShelfOrder(a: Product, b: Product): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1
  if (a.points !== b.points) return a.points - b.points
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0
}

/**
 * The shelf a member sees: products on shelf and visible to their tier, pinned first; the
 * categories are those of everything the member may see, whatever category is picked.
 */
export function catalogue(products: Product[], tierId: string | null, category?: string): { products: ProductView[]; categories: string[] } {
  const visible = products.filter((product) => product.onShelf && isVisibleTo(product, tierId)).sort(byShelfOrder)
  const categories: string[] = []
  for (const product of visible) if (!categories.includes(product.category)) categories.push(product.category)
  const shown = category ? visible.filter((product) => product.category === category) : visible
  return { products: shown.map(toProductView), categories }
}

/** How the units reach the member: goods as the product allows (domain/orders fulfilment); coupon products need neither. */
export function fulfilmentFor(
  product: Pick<Product, 'kind' | 'fulfilment'>,
  input: FulfilmentInput | undefined,
  lookups: { storeExists: (storeId: string) => boolean; addresses: AddressRecord[] },
): OrderRecord['fulfilment'] {
  if (product.kind === 'coupon') {
    if (input) throw new AppError('FULFILMENT_NOT_NEEDED', '优惠券商品无需选择提货方式', [{ path: 'fulfilment', message: 'coupon products have no fulfilment' }])
    return null
  }
  return resolveFulfilment(product.fulfilment, input, lookups)
}

export type ExchangePayMethod = 'points' | 'balance' | 'wechat'

/** Points-only products are paid in points at once; a cash part needs stored value or WeChat Pay. */
export function payMethodFor(product: Pick<Product, 'amount'>, payMethod: 'balance' | 'wechat' | undefined): ExchangePayMethod {
  if (product.amount === 0) return 'points'
  if (!payMethod) throw new AppError('PAY_METHOD_REQUIRED', '请选择现金部分的支付方式', [{ path: 'payMethod', message: 'balance or wechat is required for a product with a cash part' }])
  return payMethod
}

/** What is known of the order a hold or limit entry belongs to. */
export interface OrderFacts {
  status: OrderStatus
  /** a placeholder put in the id of an exchange that died before creating its order */
  abandoned: boolean
  /** the stock hold the order was bound to when it was created */
  stockAttempt: string | null
}

/**
 * A stock hold's fate:
 *  - settle: the order exists and was bound to this hold — the order owns the units now; drop the mark;
 *  - release: the order exists but owns other units (or none): give the units back and drop the mark;
 *  - abandon: no order, and the exchange is long dead: put a placeholder order in its id (so it can
 *    never be created), then release;
 *  - keep: no order yet, and the exchange may still be running.
 */
export function holdAction(order: OrderFacts | null, hold: Pick<StockHold, 'attempt' | 'at'>, now: Date): 'settle' | 'release' | 'abandon' | 'keep' {
  if (!order) return now.getTime() - new Date(hold.at).getTime() >= ORPHAN_GRACE_MS ? 'abandon' : 'keep'
  return !order.abandoned && order.stockAttempt === hold.attempt ? 'settle' : 'release'
}

/**
 * A limit entry counts against the member while its order may be live: freed once the order is
 * cancelled, refunded or abandoned; a missing order is abandoned after the grace period.
 */
export function limitEntryAction(order: OrderFacts | null, entryAt: Date, now: Date): 'keep' | 'free' | 'abandon' {
  if (!order) return now.getTime() - new Date(entryAt).getTime() >= ORPHAN_GRACE_MS ? 'abandon' : 'keep'
  return order.abandoned || order.status === 'cancelled' || order.status === 'refunded' ? 'free' : 'keep'
}
