/**
 * Flash sales (秒杀): configuration documents in `flash_sales`, validated with zod when loaded
 * (a bad document names its collection, id and field), and the pure rules around them — the
 * sale's state at an instant, the per-member order slots that enforce 每人限购 through `_id`
 * uniqueness, and the words a refused attempt gets.
 *
 * Stock is never decided here: the attempt takes a unit with one conditional update
 * (`stock > 0`, inside the sale's window) and the database answers whether it got one.
 */
import { z } from 'zod'
import type { FlashSaleView } from '../contract/trade'
import { fulfilmentTypesSchema, fulfilmentUnsupported, type FulfilmentType } from '../orders'
import { imageSchema } from '../shared/config'
import { AppError } from '../shared/errors'

/**
 * A stored instant must be a date (the console's 时间 type), not text: the conditional updates
 * compare it with the request's instant inside the database, where text never matches a date.
 */
export const instantSchema = z.date({ invalid_type_error: 'must be a date (时间), not text', required_error: 'is required' })

export const flashSaleSchema = z
  .object({
    _id: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'must be a short id of letters, digits, _ and -'),
    title: z.string().min(1).max(40),
    image: imageSchema,
    /** sale price, fen */
    price: z.number().int('must be whole fen').positive(),
    /** list price (划线价), fen */
    listPrice: z.number().int('must be whole fen').positive(),
    /** units left */
    stock: z.number().int().min(0),
    /** units taken (by orders not released) */
    sold: z.number().int().min(0).default(0),
    perMemberLimit: z.number().int().min(1).max(10),
    startAt: instantSchema,
    endAt: instantSchema,
    /** how the goods reach the member: 门店自提, 快递配送 or both (asked when buying) */
    fulfilment: fulfilmentTypesSchema,
  })
  .passthrough()
  .superRefine((sale, context) => {
    if (sale.listPrice < sale.price) context.addIssue({ code: 'custom', path: ['listPrice'], message: 'must not be below price' })
    if (sale.endAt <= sale.startAt) context.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after startAt' })
  })
export type FlashSale = z.infer<typeof flashSaleSchema>

export type FlashSaleState = FlashSaleView['state']

/** upcoming before startAt, ended from endAt on, soldOut while live with no stock, else live. */
export function flashSaleState(sale: Pick<FlashSale, 'startAt' | 'endAt' | 'stock'>, now: Date): FlashSaleState {
  if (now < new Date(sale.startAt)) return 'upcoming'
  if (now >= new Date(sale.endAt)) return 'ended'
  return sale.stock > 0 ? 'live' : 'soldOut'
}

/**
 * The order id of a member's n-th unit of a sale (n = 1 … perMemberLimit). Inserting an order
 * under a slot id is what claims the slot, so a member can never hold more than the limit.
 */
export function flashOrderId(saleId: string, memberId: string, slot: number): string {
  return `flash:${saleId}:${memberId}:${slot}`
}

export function flashOrderIds(sale: Pick<FlashSale, '_id' | 'perMemberLimit'>, memberId: string): string[] {
  return Array.from({ length: sale.perMemberLimit }, (_, index) => flashOrderId(sale._id, memberId, index + 1))
}

/** The sale id of a flash order id, or null. */
export function saleIdOfOrder(orderId: string): string | null {
  const match = /^flash:([^:]+):[^:]+:\d+$/.exec(orderId)
  return match ? match[1] : null
}

/** Why an attempt got no unit, from the sale's ways and window at the request's instant. */
export function flashBuyRefusal(sale: Pick<FlashSale, 'startAt' | 'endAt' | 'fulfilment'> | null, now: Date, asked: FulfilmentType): AppError {
  if (!sale) return new AppError('SALE_NOT_FOUND', '秒杀活动不存在')
  if (!sale.fulfilment.includes(asked)) return fulfilmentUnsupported(asked, sale.fulfilment)
  if (now < new Date(sale.startAt)) return new AppError('SALE_NOT_STARTED', '秒杀未开始')
  if (now >= new Date(sale.endAt)) return new AppError('SALE_ENDED', '秒杀已结束')
  return new AppError('SOLD_OUT', '已抢光')
}

export function perMemberLimitReached(limit: number): AppError {
  return new AppError('LIMIT_REACHED', `每人限购 ${limit} 件`)
}

export function toFlashSaleView(sale: FlashSale, boughtByMe: number, now: Date): FlashSaleView {
  return {
    saleId: sale._id,
    title: sale.title,
    image: sale.image,
    price: sale.price,
    listPrice: sale.listPrice,
    startAt: sale.startAt.toISOString(),
    endAt: sale.endAt.toISOString(),
    stockLeft: Math.max(0, sale.stock),
    perMemberLimit: sale.perMemberLimit,
    boughtByMe,
    state: flashSaleState(sale, now),
    fulfilment: [...sale.fulfilment],
  }
}
