/**
 * The one contract between the mini-program and the cloud functions.
 * Every action declares who may call it (its roles, see roles.ts) and its input schema (zod),
 * both enforced by the functions' router; result types are what pages receive.
 *
 * Call shape: callFunction({ name, data: { action, input } })
 * Answer:     { ok: true, data } | { ok: false, error: { code, reason, message, fields? } }   (reasons: docs/errors.md)
 */
import { z } from 'zod'
import type { AppErrorShape } from '../shared/errors'
import { empty, FEN_MAX, fenSchema, instantMsSchema, mainlandPhoneSchema, pageSchema, POINTS_MAX, requestIdSchema, sceneSchema, payPasswordSchema } from './common'
import { action, ANYONE, COUNTER, HEAD_OFFICE, IN_WECHAT, MEMBER, STORE_MANAGER, type ActionSpec } from './roles'
import type {
  AddressView,
  ChannelMemberView,
  ConfigProblem,
  CounterLogEntryView,
  CounterTotals,
  JobFindingView,
  JobRunView,
  LedgerEntryView,
  MemberStatus,
  MemberView,
  PaymentParams,
  ProfileView,
  PurchaseQuoteView,
  PurchaseReceipt,
  RefundReceipt,
  StaffDayView,
  StaffView,
  StoreView,
  TierChangeView,
  TierGuideView,
  TopupOption,
  TopupReceipt,
  VisitView,
} from './views'

import { couponActions, mallActions, orderActions, promoActions, type CouponView, type OrderView, type TradeResults } from './trade'
import { socialActions, type SocialResults } from './social'

export * from './common'
export * from './roles'
export * from './views'
export * from './trade'
export * from './social'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')

export const memberActions = {
  /** `consentVersion`: the privacy policy version the join page showed (入会即表示同意), recorded with the join */
  join: action(
    IN_WECHAT,
    z
      .object({
        scene: sceneSchema.optional(),
        nickname: z.string().trim().min(1).max(32).optional(),
        consentVersion: z
          .string()
          .regex(/^\d{4}-\d{2}$/)
          .optional(),
      })
      .strict(),
  ),
  profile: action(MEMBER, empty),
  card: action(MEMBER, empty),
  updateProfile: action(
    MEMBER,
    z
      .object({
        /** what the card shows */
        nickname: z.string().trim().min(1).max(32).optional(),
        name: z.string().trim().min(1).max(32).optional(),
        gender: z.enum(['female', 'male', 'unknown']).optional(),
        /** settable once */
        birthday: day.optional(),
      })
      .strict(),
  ),
  /** the code from the mini-program's getPhoneNumber button (WeChat phone authorisation) */
  bindPhone: action(MEMBER, z.object({ code: z.string().min(1).max(128) }).strict()),
  saveAddress: action(
    MEMBER,
    z
      .object({
        id: z.string().max(40).optional(),
        name: z.string().trim().min(1).max(20),
        phone: mainlandPhoneSchema,
        region: z.string().trim().min(2).max(60),
        detail: z.string().trim().min(2).max(120),
        isDefault: z.boolean().default(false),
      })
      .strict(),
  ),
  removeAddress: action(MEMBER, z.object({ id: z.string().min(1).max(40) }).strict()),
  recordConsent: action(MEMBER, z.object({ version: z.string().min(1).max(20) }).strict()),
  exportData: action(MEMBER, empty),
  requestDeletion: action(MEMBER, z.object({ reason: z.string().max(200).optional() }).strict()),
  /** 挂失 / 解挂 by the member themself */
  reportLoss: action(MEMBER, z.object({ requestId: requestIdSchema }).strict()),
  /** 解除挂失 by the member: the code of WeChat's phone authorisation, matched against the number on file */
  cancelLoss: action(MEMBER, z.object({ phoneCode: z.string().min(1).max(128), requestId: requestIdSchema }).strict()),
  /** 支付密码: set the first one, or change it with the current one (a store resets a forgotten or locked one) */
  setPayPassword: action(MEMBER, z.object({ password: z.string().max(32), currentPassword: payPasswordSchema.optional() }).strict()),
  /** the brand's stores (门店自提 and the like); anyone may ask */
  stores: action(ANYONE, empty),
} as const

export const loyaltyActions = {
  checkin: action(MEMBER, z.object({ requestId: requestIdSchema }).strict()),
  status: action(MEMBER, empty),
  ledger: action(MEMBER, pageSchema),
  balanceLedger: action(MEMBER, pageSchema),
  tierHistory: action(MEMBER, empty),
  /** 等级权益: the tiers' benefits and the ways of earning growth, from configuration */
  tierGuide: action(IN_WECHAT, empty),
} as const

export const paymentActions = {
  topupOptions: action(IN_WECHAT, empty),
  /** self top-up of stored value through WeChat Pay */
  createTopup: action(MEMBER, z.object({ amount: fenSchema, requestId: requestIdSchema }).strict()),
  topupStatus: action(MEMBER, z.object({ orderId: z.string().min(1).max(64) }).strict()),
} as const

const counterToken = z.string().min(20).max(400)
/** A member, coupon or pickup code as scanned or typed (spaces, a newline): its kind's handler reads it (domain/shared/scan-code.ts). */
const scannedCode = z.string().min(1).max(64)
export const PAY_METHODS = ['cash', 'wechat', 'balance'] as const

export const staffActions = {
  me: action(COUNTER, empty),
  /** scans the member code (single use) → member summary and a counter token for the actions below */
  verifyMemberCode: action(COUNTER, z.object({ code: scannedCode }).strict()),
  /** the counter page reloaded: the member its live token names, read afresh */
  resumeCounter: action(COUNTER, z.object({ counterToken }).strict()),
  channelMembers: action(COUNTER, z.object({ limit: z.number().int().min(1).max(100).default(50) }).strict()),
  /** 今日业绩: the clerk's own results today, counted from facts within about a minute */
  todayResults: action(COUNTER, empty),
  recordPurchase: action(COUNTER, z.object({ counterToken, amount: fenSchema, payMethod: z.enum(PAY_METHODS), couponId: z.string().min(1).max(120).optional(), requestId: requestIdSchema }).strict()),
  /** 应收预览 before recording: the tier discount, each coupon (or why it cannot apply), the points to earn */
  quotePurchase: action(COUNTER, z.object({ counterToken, amount: fenSchema }).strict()),
  /** the member's coupons usable in store now, for the counter's coupon picker */
  memberCoupons: action(COUNTER, z.object({ counterToken }).strict()),
  /** 核销 by scanning the coupon's own code (gift coupons, or a coupon without a purchase) */
  redeemCoupon: action(COUNTER, z.object({ couponCode: scannedCode, requestId: requestIdSchema }).strict()),
  /** hands over a pickup order: the clerk scans the member's pickup code */
  /** what a pickup code hands over, before the clerk confirms (changes nothing) */
  previewPickup: action(COUNTER, z.object({ pickupCode: scannedCode }).strict()),
  collectPickup: action(COUNTER, z.object({ pickupCode: scannedCode, requestId: requestIdSchema }).strict()),
  refundPurchase: action(COUNTER, z.object({ purchaseId: z.string().min(1).max(120), requestId: requestIdSchema }).strict()),
  topup: action(COUNTER, z.object({ counterToken, amount: fenSchema, payMethod: z.enum(['cash', 'wechat']), requestId: requestIdSchema }).strict()),
  /** store managers only; the reason is required */
  adjustPoints: action(
    STORE_MANAGER,
    z
      .object({
        counterToken,
        points: z
          .number()
          .int()
          .min(-POINTS_MAX, `must be at least -${POINTS_MAX}`)
          .max(POINTS_MAX, `must be at most ${POINTS_MAX}`)
          .refine((value) => value !== 0, 'must not be zero'),
        reason: z.string().trim().min(2, 'a reason is required').max(100),
        requestId: requestIdSchema,
      })
      .strict(),
  ),
  /** loss / freeze on the member's behalf, after checking the phone number the member tells */
  cardService: action(
    COUNTER,
    z
      .object({
        memberNo: z.string().regex(/^\d{6,16}$/),
        phone: mainlandPhoneSchema,
        action: z.enum(['reportLoss', 'cancelLoss', 'freeze', 'unfreeze', 'resetPayPassword']),
        requestId: requestIdSchema,
      })
      .strict(),
  ),
  /** the store's counter log and totals for one business day (store managers see everyone's, clerks their own) */
  counterLog: action(COUNTER, z.object({ day: day.optional() }).strict()),
} as const

/** The collections whose documents are configuration (validated on load and on save). */
export const CONFIG_COLLECTIONS = ['config', 'tiers', 'card_types', 'coupon_templates', 'products', 'flash_sales', 'group_campaigns'] as const

const batchId = z
  .string()
  .min(4)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)

/** Console and timer only (or head-office admins): never a mini-program consumer. */
export const adminActions = {
  validateConfig: action(HEAD_OFFICE, empty),
  /** one configuration document, checked with the schema it is loaded with; nothing is written unless it passes */
  saveConfig: action(
    HEAD_OFFICE,
    z
      .object({
        collection: z.enum(CONFIG_COLLECTIONS),
        document: z
          .record(z.unknown())
          .refine((document) => typeof document._id === 'string' && document._id.length > 0 && document._id.length <= 64, { message: 'must have an _id of 1 to 64 characters', path: ['_id'] }),
      })
      .strict(),
  ),
  bulkGrant: action(
    HEAD_OFFICE,
    z
      .object({
        batchId,
        memberIds: z.array(z.string().min(1).max(64)).min(1).max(1000),
        points: z.number().int().min(0).max(POINTS_MAX, `must be at most ${POINTS_MAX}`).default(0),
        balance: z.number().int().min(0).max(FEN_MAX, 'must be at most ¥1,000,000').default(0),
        reason: z.string().trim().min(2).max(100),
      })
      .strict()
      .refine((input) => input.points > 0 || input.balance > 0, { message: 'grant points or balance', path: ['points'] }),
  ),
  runTierReview: action(HEAD_OFFICE, z.object({ year: z.number().int().min(2000).max(2100) }).strict()),
  runPointsExpiry: action(HEAD_OFFICE, z.object({ asOf: instantMsSchema.optional() }).strict()),
  trimOutboxes: action(HEAD_OFFICE, empty),
  checkInvariants: action(HEAD_OFFICE, z.object({ memberIds: z.array(z.string()).max(1000).optional() }).strict()),
  /** a job run's progress (keys such as `birthdays:2026-12-02`, `expiry:2025:2026-01-01`) */
  jobRun: action(
    HEAD_OFFICE,
    z
      .object({
        key: z
          .string()
          .min(3)
          .max(120)
          .regex(/^[A-Za-z0-9:_-]+$/),
      })
      .strict(),
  ),
  /** delivery orders of the points mall: mark shipped with the tracking number */
  markShipped: action(HEAD_OFFICE, z.object({ orderId: z.string().min(1).max(120), carrier: z.string().trim().min(1).max(20), trackingNo: z.string().trim().min(4).max(40) }).strict()),
} as const

export const contract = {
  member: memberActions,
  loyalty: loyaltyActions,
  payment: paymentActions,
  staff: staffActions,
  admin: adminActions,
  coupon: couponActions,
  mall: mallActions,
  promo: promoActions,
  order: orderActions,
  social: socialActions,
} as const

export type FunctionName = keyof typeof contract
export type ActionName<F extends FunctionName> = keyof (typeof contract)[F] & string
type SchemaOf<F extends FunctionName, A extends ActionName<F>> = (typeof contract)[F][A] extends ActionSpec<infer S> ? S : never
/** The roles an action declares, as a tuple type (e.g. `readonly ['manager', 'admin']`). */
export type ActionRoles<F extends FunctionName, A extends ActionName<F>> = (typeof contract)[F][A] extends ActionSpec<z.ZodTypeAny, infer R> ? R : never
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<SchemaOf<F, A>>
export type ParsedInput<F extends FunctionName, A extends ActionName<F>> = z.output<SchemaOf<F, A>>

/** The member at the counter, and the token the clerk's counter actions carry until it ends. */
export interface CounterSummary {
  member: MemberView
  maskedPhone: string | null
  counterToken: string
  counterTokenExpiresAt: string
  tags: string[]
  lastVisits: VisitView[]
}

export interface ActionResults extends TradeResults, SocialResults {
  member: {
    join: { member: MemberView; created: boolean }
    profile: { member: MemberView; profile: ProfileView }
    card: { member: MemberView; code: string; expiresAt: number; refreshAfterMs: number; couponsCount: number }
    updateProfile: { profile: ProfileView }
    bindPhone: { profile: ProfileView }
    saveAddress: { addresses: AddressView[] }
    removeAddress: { addresses: AddressView[] }
    recordConsent: { profile: ProfileView }
    /** everything we hold about the member (个人信息导出) */
    exportData: { exportedAt: string; data: Record<string, unknown> }
    requestDeletion: { deletionRequestedAt: string }
    reportLoss: { status: MemberStatus }
    cancelLoss: { status: MemberStatus }
    setPayPassword: { profile: ProfileView }
    stores: { stores: StoreView[] }
  }
  loyalty: {
    checkin: { entry: LedgerEntryView; points: number }
    status: {
      businessDay: string
      checkedInToday: boolean
      points: number
      pointsOwed: number
      checkinPoints: number
      /** points that expire at the next expiry date, if any */
      expiring: { points: number; at: string } | null
    }
    ledger: { entries: LedgerEntryView[]; nextBefore: number | null }
    balanceLedger: { entries: LedgerEntryView[]; nextBefore: number | null; balance: number }
    tierHistory: { changes: TierChangeView[] }
    tierGuide: { guide: TierGuideView }
  }
  payment: {
    topupOptions: { options: TopupOption[]; minAmount: number; maxAmount: number }
    createTopup: { orderId: string; amount: number; bonus: number; payment: PaymentParams }
    topupStatus: { orderId: string; status: 'created' | 'paid' | 'failed'; amount: number; bonus: number; balanceAfter: number | null }
  }
  staff: {
    /** the clerk, and the counter's limits the brand set (积分调整 at most adjustPointsMax either way) */
    me: { staff: StaffView; adjustPointsMax: number }
    /** the phone number, when present, is masked */
    verifyMemberCode: CounterSummary
    resumeCounter: CounterSummary
    channelMembers: { channel: { id: string; name: string }; total: number; members: ChannelMemberView[] }
    todayResults: { results: StaffDayView }
    recordPurchase: { receipt: PurchaseReceipt }
    quotePurchase: { quote: PurchaseQuoteView }
    memberCoupons: { coupons: CouponView[] }
    redeemCoupon: { coupon: CouponView; memberNo: string }
    previewPickup: { order: OrderView; memberNo: string }
    collectPickup: { order: OrderView; memberNo: string }
    refundPurchase: { refund: RefundReceipt }
    topup: { topup: TopupReceipt }
    adjustPoints: { entryId: string; change: number; pointsAfter: number; pointsOwedAfter: number }
    cardService: { memberNo: string; status: MemberStatus }
    /** byStaff: each clerk's figures (one row for a clerk asking for their own) */
    counterLog: { day: string; storeName: string; entries: CounterLogEntryView[]; totals: CounterTotals; byStaff: { staffId: string; staffName: string; totals: CounterTotals }[] }
  }
  admin: {
    validateConfig: { ok: boolean; problems: ConfigProblem[] }
    saveConfig: { collection: string; documentId: string }
    /** `done` false: the deadline came first; the minute timer finishes the run `runKey` */
    bulkGrant: { batchId: string; granted: number; alreadyGranted: number; failed: ({ memberId: string } & Pick<AppErrorShape, 'code' | 'reason' | 'message'>)[]; runKey: string; done: boolean }
    /** `runKey` names the run (admin.jobRun); what a deadline left, the minute timer finishes */
    runTierReview: { year: number; reviewed: number; downgraded: number; runKey: string }
    runPointsExpiry: { asOf: string; members: number; expiredPoints: number; runKey: string | null }
    trimOutboxes: { members: number; trimmed: number; runKey: string }
    checkInvariants: { checked: number; violations: { memberId: string; message: string }[]; runKey: string; done: boolean }
    jobRun: { run: JobRunView; findings: JobFindingView[] }
    markShipped: { order: OrderView }
  }
}

export type ActionResult<F extends FunctionName, A extends ActionName<F>> = A extends keyof ActionResults[F] ? ActionResults[F][A] : never

/** `serverTime` (ms) is the server's business clock when it answered; the app's countdowns use it. */
export type CallAnswer<T> = { ok: true; data: T; serverTime?: number } | { ok: false; error: AppErrorShape; serverTime?: number }

/** The event a function receives. */
export interface FunctionEvent {
  action: string
  input?: unknown
}
