/**
 * The trade tools (交易场景): coupons and friend coupons, the points mall, flash sales and
 * group-buys, and the orders they create. Money in integer fen, instants as ISO strings.
 */
import { z } from 'zod'
import { empty, payPasswordSchema, requestIdSchema } from './common'
import { action, IN_WECHAT, MEMBER } from './roles'
import type { PaymentParams } from './views'

const id = z.string().min(1).max(120)

// ---------- views ----------

export type CouponKind = 'cash' | 'discount' | 'gift'
export type CouponStatus = 'unused' | 'used' | 'expired'

export interface CouponTemplateView {
  templateId: string
  name: string
  kind: CouponKind
  /** cash: fen off; discount: percent paid (85 = 8.5折); gift: 0 */
  value: number
  /** minimum spend in fen (0 = none) */
  threshold: number
  giftName: string | null
  /** a picture of what the coupon gives (a link, or null) */
  image: string | null
  /** e.g. 领取后 30 天内有效 / 2026-12-01 至 2026-12-31 */
  validityText: string
  usableIn: ('online' | 'store')[]
  /** copies left in the template's total; null when unlimited */
  remaining: number | null
  perMemberLimit: number
  claimedByMe: number
  /** friend coupon (朋友券): claiming gives a share card */
  isFriendCoupon: boolean
}

export interface CouponView {
  couponId: string
  templateId: string
  name: string
  kind: CouponKind
  value: number
  threshold: number
  giftName: string | null
  status: CouponStatus
  validFrom: string
  validTo: string
  usableIn: ('online' | 'store')[]
  source: 'centre' | 'welcome' | 'birthday' | 'friend' | 'campaign' | 'mall' | 'reward'
  /** the member who shared it, for friend coupons */
  sharedBy: string | null
  usedAt: string | null
  /** claimed from a friend coupon (朋友券) template, as frozen in its terms at claim */
  isFriendCoupon: boolean
}

export interface FriendShareView {
  shareId: string
  sharerNickname: string
  template: CouponTemplateView
  /** how many more friends may claim through this share */
  remainingForShare: number
  /** whether the viewer already holds a copy from this share */
  claimedByMe: boolean
  /** the viewer is the sharer (their own link): nothing to claim, the count to watch */
  mine: boolean
}

export type OrderStatus = 'created' | 'paid' | 'fulfilled' | 'cancelled' | 'refunded'
/** An order's status read with its fulfilment, for people (domain/orders orderStage). */
export type OrderStage = 'unpaid' | 'grouping' | 'pickup' | 'shipping' | 'shipped' | 'done' | 'cancelled' | 'refunded'
export type OrderKind = 'mall' | 'flash' | 'groupbuy'
export type OrderPayMethod = 'points' | 'balance' | 'wechat'

export interface OrderTransitionView {
  from: OrderStatus | null
  to: OrderStatus
  at: string
  reason: string
}

export interface OrderView {
  orderId: string
  /** the 20-digit number people read (domain/shared referenceNumber); orderId is for calls only */
  orderNo: string
  kind: OrderKind
  status: OrderStatus
  /** where it stands with its fulfilment: 待付款 / 待成团 / 待自提 / 待发货 / 已发货 / 已完成 … (ORDER_STAGE_TEXT) */
  stage: OrderStage
  title: string
  quantity: number
  /** points part of the price (points mall) */
  points: number
  /** cash part of the price, fen */
  amount: number
  payMethod: OrderPayMethod | null
  /** unpaid orders release their stock at this instant */
  payBy: string | null
  fulfilment:
    | { type: 'pickup'; storeId: string; storeName: string; collectedAt: string | null }
    | { type: 'delivery'; address: string; carrier: string | null; trackingNo: string | null; shippedAt: string | null }
    | null
  groupId: string | null
  /** WeChat Pay's out_trade_no, once a WeChat payment was started (the H5 simulated sheet confirms it) */
  outTradeNo: string | null
  createdAt: string
  transitions: OrderTransitionView[]
}

export interface ProductView {
  productId: string
  name: string
  kind: 'goods' | 'coupon'
  category: string
  image: string | null
  points: number
  /** cash part, fen (0 = points only) */
  amount: number
  stock: number
  perMemberLimit: number
  pinned: boolean
  description: string
  /** how goods reach the member (门店自提, 快递配送); empty for coupon products */
  fulfilment: FulfilmentType[]
}

export type FulfilmentType = 'pickup' | 'delivery'

export interface FlashSaleView {
  saleId: string
  title: string
  image: string | null
  /** sale price and list price, fen */
  price: number
  listPrice: number
  startAt: string
  endAt: string
  stockLeft: number
  perMemberLimit: number
  boughtByMe: number
  state: 'upcoming' | 'live' | 'soldOut' | 'ended'
  /** how the goods reach the member (asked when buying) */
  fulfilment: FulfilmentType[]
}

export interface GroupCampaignView {
  campaignId: string
  title: string
  image: string | null
  groupPrice: number
  listPrice: number
  groupSize: number
  /** how long a group stays open, minutes */
  timeLimitMinutes: number
  stockLeft: number
  endAt: string
  /** how the goods reach each member of a group (asked when starting or joining) */
  fulfilment: FulfilmentType[]
}

export interface GroupView {
  groupId: string
  campaignId: string
  title: string
  /** price per member and list price, fen (as when the group was opened) */
  groupPrice: number
  listPrice: number
  groupSize: number
  status: 'open' | 'success' | 'failed'
  expiresAt: string
  members: { nickname: string; isLeader: boolean; joinedAt: string }[]
  joinedByMe: boolean
  /** how the goods reach a member who joins (as when the group was opened) */
  fulfilment: FulfilmentType[]
  /** the campaign's picture (a link, or null) */
  image: string | null
}

// ---------- actions ----------

export const couponActions = {
  /** 领券中心: templates this member may claim now */
  centre: action(MEMBER, empty),
  claim: action(MEMBER, z.object({ templateId: id, requestId: requestIdSchema }).strict()),
  wallet: action(MEMBER, z.object({ status: z.enum(['unused', 'used', 'expired']).default('unused') }).strict()),
  /** a short-lived code of one coupon, for the clerk to scan */
  code: action(MEMBER, z.object({ couponId: id }).strict()),
  /** whether the coupon whose code is on screen is still unused (the code page asks every few seconds) */
  codeStatus: action(MEMBER, z.object({ couponId: id }).strict()),
  /** the share card of a friend coupon the member holds */
  shareFriendCoupon: action(MEMBER, z.object({ templateId: id }).strict()),
  friendShare: action(IN_WECHAT, z.object({ shareId: id }).strict()),
  claimFriendCoupon: action(MEMBER, z.object({ shareId: id, requestId: requestIdSchema }).strict()),
} as const

const fulfilmentSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('pickup'), storeId: id }).strict(), z.object({ type: z.literal('delivery'), addressId: id }).strict()])

export const mallActions = {
  products: action(IN_WECHAT, z.object({ category: z.string().max(32).optional() }).strict()),
  product: action(IN_WECHAT, z.object({ productId: id }).strict()),
  /** 积分兑换: points (+ cash by balance or WeChat Pay) for goods or a coupon */
  exchange: action(
    MEMBER,
    z
      .object({
        productId: id,
        quantity: z.number().int().min(1).max(10).default(1),
        fulfilment: fulfilmentSchema.optional(),
        payMethod: z.enum(['balance', 'wechat']).optional(),
        payPassword: payPasswordSchema.optional(),
        requestId: requestIdSchema,
      })
      .strict(),
  ),
} as const

export const promoActions = {
  flashSales: action(IN_WECHAT, empty),
  /** 秒杀: 3 database calls per winning attempt on a warm instance (the replay lookup first) */
  flashBuy: action(MEMBER, z.object({ saleId: id, fulfilment: fulfilmentSchema.optional(), requestId: requestIdSchema }).strict()),
  groupCampaigns: action(IN_WECHAT, empty),
  startGroup: action(
    MEMBER,
    z.object({ campaignId: id, fulfilment: fulfilmentSchema.optional(), payMethod: z.enum(['balance', 'wechat']), payPassword: payPasswordSchema.optional(), requestId: requestIdSchema }).strict(),
  ),
  joinGroup: action(
    MEMBER,
    z.object({ groupId: id, fulfilment: fulfilmentSchema.optional(), payMethod: z.enum(['balance', 'wechat']), payPassword: payPasswordSchema.optional(), requestId: requestIdSchema }).strict(),
  ),
  group: action(IN_WECHAT, z.object({ groupId: id }).strict()),
  myGroups: action(MEMBER, empty),
} as const

export const orderActions = {
  list: action(MEMBER, z.object({ status: z.enum(['created', 'paid', 'fulfilled', 'cancelled', 'refunded']).optional(), kind: z.enum(['mall', 'flash', 'groupbuy']).optional() }).strict()),
  detail: action(MEMBER, z.object({ orderId: id }).strict()),
  pay: action(MEMBER, z.object({ orderId: id, method: z.enum(['balance', 'wechat']), payPassword: payPasswordSchema.optional(), requestId: requestIdSchema }).strict()),
  /** cancel before pickup / before payment: points, money and stock come back */
  cancel: action(MEMBER, z.object({ orderId: id, requestId: requestIdSchema }).strict()),
  /** a short-lived code the clerk scans to hand over a pickup order */
  pickupCode: action(MEMBER, z.object({ orderId: id }).strict()),
} as const

export interface TradeResults {
  coupon: {
    centre: { templates: CouponTemplateView[] }
    claim: { coupon: CouponView }
    wallet: { coupons: CouponView[] }
    code: { code: string; expiresAt: number }
    codeStatus: { status: 'unused' | 'used' | 'expired'; usedAt: string | null }
    shareFriendCoupon: { share: FriendShareView }
    friendShare: { share: FriendShareView }
    claimFriendCoupon: { coupon: CouponView }
  }
  mall: {
    products: { products: ProductView[]; categories: string[] }
    product: { product: ProductView }
    exchange: { order: OrderView; payment: PaymentParams | null }
  }
  promo: {
    flashSales: { sales: FlashSaleView[] }
    flashBuy: { order: OrderView }
    groupCampaigns: { campaigns: GroupCampaignView[] }
    startGroup: { group: GroupView; order: OrderView; payment: PaymentParams | null }
    joinGroup: { group: GroupView; order: OrderView; payment: PaymentParams | null }
    group: { group: GroupView }
    myGroups: { groups: GroupView[] }
  }
  order: {
    list: { orders: OrderView[] }
    detail: { order: OrderView }
    pay: { order: OrderView; payment: PaymentParams | null }
    cancel: { order: OrderView }
    pickupCode: { code: string; expiresAt: number }
  }
}
