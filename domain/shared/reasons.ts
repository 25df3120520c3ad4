/**
 * The closed catalogue of error reasons. Every error a function answers carries a stable
 * UPPER_SNAKE `reason` from here, and its `code` (domain/errors.ts ERROR_CODES) is derived from
 * the reason in this one place: `new AppError('SOLD_OUT')` is always FAILED_PRECONDITION.
 * Reasons are for programs (the app maps each one to its own copy, tests assert them); the
 * Chinese `message` an error may carry is for logs, the console and order histories.
 *
 * docs/errors.md lists every reason with its code and meaning, and src/services/reason-copy.ts
 * gives each one the copy people see; tests/domain/reasons.test.ts fails when either misses one,
 * and TypeScript refuses a reason that is not in this catalogue.
 */
import type { ErrorCode } from './error-codes'

interface ReasonEntry {
  code: ErrorCode
  /** what happened, for developers and the docs table */
  meaning: string
}

export const REASONS = {
  // ---- Calls: any function, any action ----
  UNKNOWN_ACTION: { code: 'INVALID_ARGUMENT', meaning: 'The function has no action of that name.' },
  INVALID_INPUT: { code: 'INVALID_ARGUMENT', meaning: 'The input does not fit the action’s schema; `fields` names each bad field.' },
  WECHAT_USER_REQUIRED: { code: 'UNAUTHENTICATED', meaning: 'The action needs a WeChat user, and the call came without one (console, timer, server).' },
  REQUEST_REUSED: { code: 'ALREADY_EXISTS', meaning: 'The request id was already used for a different request.' },
  BUSY: { code: 'ABORTED', meaning: 'Contention: others changed the same documents and the retries ran out; nothing was applied. Try the same request again.' },
  REQUEST_IN_PROGRESS: { code: 'ABORTED', meaning: 'Another call with the same request id is still being handled; try the same request again shortly for its result.' },
  INTERNAL: { code: 'INTERNAL', meaning: 'An unexpected failure, logged with the invocation’s request id; the message is that request id and nothing else.' },
  TIMER_ONLY: { code: 'PERMISSION_DENIED', meaning: 'Only CloudBase’s timer trigger may send this event.' },
  UNKNOWN_TRIGGER: { code: 'INVALID_ARGUMENT', meaning: 'The timer event names no trigger of this function.' },
  PAY_NOTIFICATION_ONLY: { code: 'PERMISSION_DENIED', meaning: 'Only WeChat Pay’s notifications are accepted here, not calls from a WeChat user.' },

  // ---- Staff and admin ----
  NOT_STAFF: { code: 'PERMISSION_DENIED', meaning: 'The caller is not in `staff`.' },
  MANAGER_ONLY: { code: 'PERMISSION_DENIED', meaning: 'Only a store manager (or an admin) may do this.' },
  ADMIN_ONLY: { code: 'PERMISSION_DENIED', meaning: 'Only the console, a timer or an admin may do this.' },
  CONSOLE_ONLY: { code: 'PERMISSION_DENIED', meaning: 'Only the console or a timer may call this; no WeChat user may.' },
  NO_STAFF_CHANNEL: { code: 'FAILED_PRECONDITION', meaning: 'The clerk has no exclusive channel (QR code) yet.' },

  // ---- Members and the card ----
  NOT_A_MEMBER: { code: 'NOT_FOUND', meaning: 'The caller has not joined yet.' },
  MEMBER_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No member with that id or code (staff and admin actions).' },
  CARD_LOST: { code: 'FAILED_PRECONDITION', meaning: 'The member card is reported lost; points, stored value and codes are blocked until the loss is cancelled.' },
  CARD_FROZEN: { code: 'FAILED_PRECONDITION', meaning: 'The member card is frozen; only a store can unfreeze it.' },
  CARD_ALREADY_LOST: { code: 'FAILED_PRECONDITION', meaning: 'The card is already reported lost.' },
  CARD_NOT_LOST: { code: 'FAILED_PRECONDITION', meaning: 'The card is not reported lost, so there is no loss to cancel.' },
  CARD_ALREADY_FROZEN: { code: 'FAILED_PRECONDITION', meaning: 'The card is already frozen.' },
  CARD_NOT_FROZEN: { code: 'FAILED_PRECONDITION', meaning: 'The card is not frozen, so there is nothing to unfreeze.' },
  PHONE_CODE_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'The phone authorisation code from getPhoneNumber is invalid, expired or used.' },
  PHONE_NOT_MAINLAND: { code: 'FAILED_PRECONDITION', meaning: 'The phone number is not a mainland China number.' },
  PHONE_NOT_BOUND: { code: 'FAILED_PRECONDITION', meaning: 'The member has no phone number to check against.' },
  PHONE_MISMATCH: { code: 'PERMISSION_DENIED', meaning: 'The phone number given (told at a store, or authorised through WeChat) does not match the member’s.' },
  WECHAT_API_FAILED: { code: 'FAILED_PRECONDITION', meaning: 'A WeChat open API answered with an error.' },
  BIRTHDAY_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'The birthday is not a real day between 1900 and today.' },
  BIRTHDAY_LOCKED: { code: 'FAILED_PRECONDITION', meaning: 'The birthday was set once already; only a store may change it.' },
  ADDRESS_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such address in the member’s address book.' },
  ADDRESS_BOOK_FULL: { code: 'FAILED_PRECONDITION', meaning: 'The address book holds the most addresses allowed.' },

  // ---- Points and stored value ----
  ALREADY_CHECKED_IN: { code: 'ALREADY_EXISTS', meaning: 'The member checked in today already (with another request).' },
  ALREADY_APPLIED: { code: 'FAILED_PRECONDITION', meaning: 'The ledger entry of this cause was applied already.' },
  INSUFFICIENT_POINTS: { code: 'FAILED_PRECONDITION', meaning: 'Not enough points.' },
  INSUFFICIENT_BALANCE: { code: 'FAILED_PRECONDITION', meaning: 'Not enough stored value.' },
  PAY_PASSWORD_REQUIRED: { code: 'INVALID_ARGUMENT', meaning: 'An online payment from stored value above the brand’s amount needs the payment password (payPassword).' },
  PAY_PASSWORD_NOT_SET: { code: 'FAILED_PRECONDITION', meaning: 'The payment needs a payment password and the member has not set one.' },
  PAY_PASSWORD_WRONG: { code: 'PERMISSION_DENIED', meaning: 'The payment password is wrong; the message says how many attempts are left.' },
  PAY_PASSWORD_LOCKED: { code: 'FAILED_PRECONDITION', meaning: 'Too many wrong payment passwords: locked until a store resets it after checking the phone.' },
  PAY_PASSWORD_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'A payment password is six digits.' },
  PAY_PASSWORD_WEAK: { code: 'INVALID_ARGUMENT', meaning: 'A payment password of one repeated digit or a straight run (123456) is refused.' },
  TOPUP_AMOUNT_OUT_OF_RANGE: { code: 'INVALID_ARGUMENT', meaning: 'The top-up amount is not whole fen within the brand’s minimum and maximum.' },
  TOPUP_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such top-up order of this member.' },
  TOPUP_CLOSED: { code: 'FAILED_PRECONDITION', meaning: 'The top-up order is over (paid or failed); start a new one.' },
  YEAR_NOT_ENDED: { code: 'FAILED_PRECONDITION', meaning: 'A tier review is only for a year that has ended.' },
  JOB_RUN_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No job run has this key.' },
  CONFIG_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'A configuration document does not fit its schema (or its collection’s rules); `fields` names each bad field and nothing was written.' },
  INVARIANT_VIOLATED: { code: 'FAILED_PRECONDITION', meaning: 'A member’s balances do not agree with the ledger (the invariant check’s finding; the message lists each violation).' },
  EXPIRY_IN_FUTURE: { code: 'INVALID_ARGUMENT', meaning: 'Points cannot be expired as of a future instant.' },

  // ---- The counter ----
  CODE_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'The scanned or typed member, coupon or pickup code is not 18 digits of its kind, or no one was shown it.' },
  CODE_EXPIRED: { code: 'FAILED_PRECONDITION', meaning: 'The scanned code has expired; the member shows a fresh one.' },
  CODE_USED: { code: 'FAILED_PRECONDITION', meaning: 'The member code was scanned already (single use).' },
  TOO_MANY_FAILED_SCANS: { code: 'FAILED_PRECONDITION', meaning: 'The clerk entered too many unknown codes this minute; every code is refused until the minute ends.' },
  ADJUSTMENT_TOO_LARGE: { code: 'INVALID_ARGUMENT', meaning: 'A points adjustment above the brand’s per-adjustment cap (pointRules.adjustment.maxPoints).' },
  COUNTER_TOKEN_EXPIRED: { code: 'FAILED_PRECONDITION', meaning: 'The counter token is expired, another clerk’s or not valid; scan the member code again.' },
  PURCHASE_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such purchase to refund.' },
  REFUND_OTHER_STORE: { code: 'PERMISSION_DENIED', meaning: 'A purchase is refunded only at the store where it was made.' },
  ALREADY_REFUNDED: { code: 'ALREADY_EXISTS', meaning: 'The purchase was refunded already (with another request).' },
  PICKUP_OTHER_STORE: { code: 'PERMISSION_DENIED', meaning: 'The order is picked up at another store.' },

  // ---- Coupons ----
  COUPON_TEMPLATE_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such coupon template, or it is off shelf.' },
  COUPON_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such coupon of this member.' },
  COUPON_NOT_CLAIMABLE: { code: 'FAILED_PRECONDITION', meaning: 'The coupon cannot be claimed now (off shelf or not claimable).' },
  COUPON_WITHDRAWN: { code: 'FAILED_PRECONDITION', meaning: 'The coupon a mall product gives is no longer issued.' },
  COUPON_SOLD_OUT: { code: 'FAILED_PRECONDITION', meaning: 'Every copy of the coupon is taken.' },
  COUPON_LIMIT_REACHED: { code: 'FAILED_PRECONDITION', meaning: 'The member holds as many of this coupon as one member may.' },
  COUPON_USED: { code: 'FAILED_PRECONDITION', meaning: 'The coupon is used already.' },
  COUPON_EXPIRED: { code: 'FAILED_PRECONDITION', meaning: 'The coupon is outside its validity.' },
  COUPON_UNUSABLE: { code: 'FAILED_PRECONDITION', meaning: 'The coupon cannot be used now (used, expired or not yet valid).' },
  COUPON_ONLINE_ONLY: { code: 'FAILED_PRECONDITION', meaning: 'The coupon is for online orders only, not at a store.' },
  COUPON_BELOW_THRESHOLD: { code: 'FAILED_PRECONDITION', meaning: 'The amount is below the coupon’s threshold.' },
  TIER_RESTRICTED: { code: 'PERMISSION_DENIED', meaning: 'The member’s tier may not claim or exchange this.' },
  SHARE_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such friend-coupon share.' },
  NOT_FRIEND_COUPON: { code: 'FAILED_PRECONDITION', meaning: 'The coupon cannot be shared with friends.' },
  FRIEND_COUPON_NOT_HELD: { code: 'FAILED_PRECONDITION', meaning: 'The member shares a friend coupon only after claiming it.' },
  OWN_SHARE: { code: 'FAILED_PRECONDITION', meaning: 'A member cannot claim their own share.' },
  SHARE_EXHAUSTED: { code: 'FAILED_PRECONDITION', meaning: 'Every friend claim of this share is taken.' },

  // ---- Mall, orders and payment ----
  PRODUCT_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such product, or it is off shelf.' },
  PRODUCT_OFF_SHELF: { code: 'FAILED_PRECONDITION', meaning: 'The product was taken off shelf.' },
  SOLD_OUT: { code: 'FAILED_PRECONDITION', meaning: 'Nothing left: product stock, flash-sale stock or group-buy units.' },
  NOT_ENOUGH_STOCK: { code: 'FAILED_PRECONDITION', meaning: 'Fewer units left than asked for.' },
  LIMIT_REACHED: { code: 'FAILED_PRECONDITION', meaning: 'The per-member limit of the product or flash sale is reached.' },
  QUANTITY_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'The quantity is not a whole number of at least 1.' },
  FULFILMENT_NOT_NEEDED: { code: 'INVALID_ARGUMENT', meaning: 'A coupon product takes no pickup or delivery.' },
  FULFILMENT_REQUIRED: { code: 'INVALID_ARGUMENT', meaning: 'The product needs a pickup store or a delivery address.' },
  FULFILMENT_UNSUPPORTED: { code: 'FAILED_PRECONDITION', meaning: 'The product does not offer that kind of fulfilment.' },
  STORE_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such store.' },
  PAY_METHOD_REQUIRED: { code: 'INVALID_ARGUMENT', meaning: 'A product with a cash part needs a pay method for it.' },
  CASH_PART_REQUIRED: { code: 'FAILED_PRECONDITION', meaning: 'The order has a cash part; points alone cannot pay it.' },
  ORDER_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such order (of this member).' },
  ORDER_STATE_CHANGED: { code: 'FAILED_PRECONDITION', meaning: 'The order changed meanwhile; read it again.' },
  ORDER_TRANSITION_INVALID: { code: 'FAILED_PRECONDITION', meaning: 'The order’s status does not allow this move (e.g. paying a cancelled order).' },
  ORDER_EXPIRED: { code: 'FAILED_PRECONDITION', meaning: 'The order was not paid in time.' },
  ORDER_CLOSED_REFUNDED: { code: 'FAILED_PRECONDITION', meaning: 'The order closed while it was being paid; what was taken went back.' },
  ORDER_NOT_CANCELLABLE: { code: 'FAILED_PRECONDITION', meaning: 'The member can no longer cancel this order (only a store can).' },
  ORDER_NOT_PAID: { code: 'FAILED_PRECONDITION', meaning: 'The order is not paid (unpaid, cancelled or refunded), so it cannot be picked up.' },
  ALREADY_PICKED_UP: { code: 'FAILED_PRECONDITION', meaning: 'The order was picked up already.' },
  GROUP_NOT_FORMED: { code: 'FAILED_PRECONDITION', meaning: 'A group-buy order is picked up or shipped only once its group is formed.' },
  NOT_PICKUP_ORDER: { code: 'FAILED_PRECONDITION', meaning: 'The order is not for pickup at a store.' },
  NOT_DELIVERY_ORDER: { code: 'FAILED_PRECONDITION', meaning: 'The order is not for delivery.' },
  PAYMENT_IN_PROGRESS: { code: 'FAILED_PRECONDITION', meaning: 'WeChat Pay already took the payment; its notification is on its way.' },
  WECHAT_PAY_FAILED: { code: 'FAILED_PRECONDITION', meaning: 'WeChat Pay refused the unified order.' },
  WECHAT_REFUND_FAILED: { code: 'FAILED_PRECONDITION', meaning: 'WeChat Pay refused the refund.' },

  // ---- Flash sales and group-buys ----
  SALE_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such flash sale.' },
  SALE_NOT_STARTED: { code: 'FAILED_PRECONDITION', meaning: 'The flash sale has not started.' },
  SALE_ENDED: { code: 'FAILED_PRECONDITION', meaning: 'The flash sale has ended.' },
  CAMPAIGN_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such group-buy campaign.' },
  CAMPAIGN_ENDED: { code: 'FAILED_PRECONDITION', meaning: 'The group-buy campaign has ended.' },
  GROUP_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'No such group.' },
  ALREADY_IN_GROUP: { code: 'ALREADY_EXISTS', meaning: 'The member is in this group already.' },
  GROUP_COMPLETE: { code: 'FAILED_PRECONDITION', meaning: 'The group succeeded already.' },
  GROUP_ENDED: { code: 'FAILED_PRECONDITION', meaning: 'The group failed or expired.' },
  GROUP_FULL: { code: 'FAILED_PRECONDITION', meaning: 'Every seat of the group is taken.' },
  LEADER_NOT_PAID: { code: 'FAILED_PRECONDITION', meaning: 'Friends join only after the leader paid.' },
  GROUP_START_FAILED: { code: 'FAILED_PRECONDITION', meaning: 'The group this request started is gone; start another.' },
  GROUP_ORDER_CLOSED: { code: 'FAILED_PRECONDITION', meaning: 'The member’s order in this group is closed; start or join again.' },
} as const satisfies Record<string, ReasonEntry>

export type Reason = keyof typeof REASONS

/** Every reason, in catalogue order. */
export const REASON_NAMES = Object.keys(REASONS) as Reason[]

/** Own keys only: a caller's string such as `constructor` is not a reason. */
export function isReason(value: unknown): value is Reason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REASONS, value)
}

export function codeOf(reason: Reason): ErrorCode {
  return REASONS[reason].code
}
