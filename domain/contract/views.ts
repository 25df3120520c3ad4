/** What pages receive. Money in integer fen, instants as ISO strings, days as YYYY-MM-DD. */
import type { EntryKind } from '../shared/ledger-entry'

export interface TierView {
  id: string
  name: string
  /** growth needed for the next tier; null at the top tier */
  nextTierName: string | null
  growthToNext: number | null
}

export type MemberStatus = 'active' | 'frozen' | 'lost'

export interface MemberView {
  memberId: string
  memberNo: string
  nickname: string
  cardType: { id: string; name: string }
  tier: TierView
  /** spendable points */
  points: number
  /** points clawed back by refunds after they were spent; repaid first from future earnings */
  pointsOwed: number
  /** stored value in fen (integer) */
  balance: number
  growth: number
  /** ISO instant */
  joinedAt: string
  channel: { id: string; name: string } | null
  status: MemberStatus
}

export interface LedgerEntryView {
  id: string
  source: EntryKind
  /** signed change: points in the points ledger, fen in the stored-value ledger */
  change: number
  balanceAfter: number
  /** ISO instant */
  createdAt: string
  /** business day in the brand's time zone, YYYY-MM-DD */
  businessDay: string
  description: string
}

export interface StaffView {
  staffId: string
  name: string
  role: 'clerk' | 'manager' | 'admin'
  storeId: string
  storeName: string
  channelId: string | null
}

export interface ChannelMemberView {
  memberNo: string
  nickname: string
  joinedAt: string
}

/** A clerk's results of a business day (今日业绩); amounts in fen. */
export interface StaffDayView {
  businessDay: string
  /** members the clerk's channel code brought in */
  joins: number
  purchases: number
  sales: number
  refunds: number
  refunded: number
}

export interface AddressView {
  id: string
  name: string
  phone: string
  region: string
  detail: string
  isDefault: boolean
}

export interface ProfileView {
  /** what the card and the counter show (editable) */
  nickname: string
  name: string | null
  gender: 'female' | 'male' | 'unknown'
  /** YYYY-MM-DD; can be set once (birthday gifts), then only by a store */
  birthday: string | null
  birthdayLocked: boolean
  phoneMasked: string | null
  addresses: AddressView[]
  consent: { version: string; at: string } | null
  deletionRequestedAt: string | null
  /** 支付密码: whether one is set (or locked by wrong attempts), and the stored-value payments online above which it is asked, fen */
  payPassword: { state: 'unset' | 'set' | 'locked'; requiredAbove: number }
}

/** A store (门店), e.g. for 门店自提 */
export interface StoreView {
  id: string
  name: string
  city: string | null
}

export interface VisitView {
  purchaseId: string
  at: string
  storeName: string
  payable: number
  /** the purchase was refunded since */
  refunded: boolean
}

/** 应收预览: what a purchase of this list price comes to for this member, without and with each of their coupons. */
export interface PurchaseQuoteView {
  listAmount: number
  /** 95 means 九五折 */
  discountPercent: number
  /** the tier discount, fen */
  tierDiscount: number
  /** after the tier discount, before any coupon */
  payable: number
  points: number
  growth: number
  /** the member's coupons usable in store now (gifts are handed over at 核销券码) */
  coupons: {
    couponId: string
    applicable: boolean
    /** why it cannot apply to this amount (COUPON_BELOW_THRESHOLD), null when it can */
    reason: string | null
    /** for a threshold: how much more (after the tier discount) it needs */
    shortBy: number | null
    couponDiscount: number
    payable: number
    points: number
  }[]
}

export interface PurchaseReceipt {
  /** for calls (退款) only; people read receiptNo */
  purchaseId: string
  /** the 20-digit 单号 on the receipt (domain/shared referenceNumber) */
  receiptNo: string
  memberNo: string
  nickname: string
  storeId: string
  storeName: string
  staffName: string
  /** list price, fen */
  listAmount: number
  /** 95 means 九五折 */
  discountPercent: number
  discount: number
  payable: number
  payMethod: 'cash' | 'wechat' | 'balance'
  /** the coupon used, its discount included in `discount` */
  coupon: { couponId: string; name: string; discount: number } | null
  pointsEarned: number
  growthEarned: number
  /** spendable points and stored value after the purchase */
  pointsAfter: number
  balanceAfter: number
  tierBefore: string
  tierAfter: string
  createdAt: string
}

export interface RefundReceipt {
  refundId: string
  /** the 20-digit 退款单号 people read */
  refundNo: string
  purchaseId: string
  balanceReturned: number
  pointsClawedBack: number
  /** the part of the clawback the member had already spent, now owed */
  pointsOwedAdded: number
  growthClawedBack: number
  pointsAfter: number
  pointsOwedAfter: number
  balanceAfter: number
  growthAfter: number
  createdAt: string
}

export interface TopupReceipt {
  entryId: string
  amount: number
  bonus: number
  balanceAfter: number
  createdAt: string
}

export interface CounterLogEntryView {
  id: string
  action: 'purchase' | 'refund' | 'topup' | 'adjust' | 'reportLoss' | 'cancelLoss' | 'freeze' | 'unfreeze' | 'resetPayPassword' | 'verify' | 'redeemCoupon' | 'collectPickup'
  staffName: string
  memberNo: string
  /** the member's nickname as it is now */
  nickname: string
  /** money moved, fen (purchases: payable; refunds: negative; top-ups: the amount paid, the bonus apart) */
  amount: number
  /** how the money moved: 现金, 微信, 储值 (a refund as its purchase was paid); null when none moved */
  payMethod: 'cash' | 'wechat' | 'balance' | null
  /** stored value credited free with a top-up, fen */
  bonus: number
  points: number
  at: string
  note: string
}

/** A day's counter figures (domain/loyalty/counter-figures.ts): sums of the ledger entries of the store (or clerk) and day. */
export interface CounterTotals {
  purchases: number
  refunds: number
  /** purchases' payable, and refunds', fen (gross) */
  salesFen: number
  refundFen: number
  /** money taken in cash and by WeChat Pay (purchases and top-ups, less refunds), fen */
  cashFen: number
  wechatFen: number
  /** stored value spent on purchases, less refunds, fen */
  balanceSpentFen: number
  /** top-ups: money paid, and bonus credited free, fen */
  topupFen: number
  topupBonusFen: number
  /** points earned by purchases, less those refunds took back; adjustments apart */
  pointsIssued: number
  pointsAdjusted: number
}

export interface TierChangeView {
  /** tier names, e.g. 银卡会员 → 金卡会员 */
  from: string | null
  to: string
  reason: 'join' | 'upgrade' | 'yearly-review' | 'manual'
  at: string
}

export interface TopupOption {
  amount: number
  bonus: number
}

/** What Taro.requestPayment needs (WeChat Pay, through the payment port). */
export interface PaymentParams {
  timeStamp: string
  nonceStr: string
  package: string
  signType: 'RSA' | 'MD5' | 'HMAC-SHA256'
  paySign: string
}

export interface ConfigProblem {
  collection: string
  documentId: string
  field: string
  message: string
}

/** A job run's progress, as the admin action jobRun shows it. */
export interface JobRunView {
  key: string
  job: string
  status: 'running' | 'done'
  shardsDone: number
  shardsTotal: number
  /** documents worked */
  items: number
  /** documents the work changed something on */
  touched: number
  /** what the work changed (points expired, entries trimmed, gifts given) */
  changed: number
  errors: number
  /** named counts of the work (released, markedPaid, granted …) */
  outcomes: Record<string, number>
  startedAt: string
  finishedAt: string | null
}

/** What one document's work ended in when it failed (or an id of the run's list that no document has). */
export interface JobFindingView {
  documentId: string
  code: string
  reason: string
  message: string
}

/** 等级权益: every tier's benefits, and the ways of earning growth the brand's rules give (none with 0 growth). */
export interface TierGuideView {
  tiers: { id: string; name: string; growthThreshold: number; discountPercent: number; pointsMultiplier: number; birthdayGiftPoints: number }[]
  growthWays: { way: 'purchase' | 'join' | 'checkin'; growth: number }[]
}
