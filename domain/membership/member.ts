import type { PayPasswordRecord } from './pay-password'
import { createHash } from 'node:crypto'
import type { CardType, Tier } from '../shared/config'
import type { MemberView, TierView } from '../contract'
import type { CardEvent } from './card-status'
import type { LedgerEntry } from '../shared/ledger-entry'

export type MemberStatus = MemberView['status']

/** A member as stored in the `members` collection. Balances are cached sums of their ledgers. */
export interface MemberRecord {
  _id: string
  openid: string
  unionid: string | null
  memberNo: string
  nickname: string
  cardTypeId: string
  tierId: string
  /** spendable points */
  points: number
  /** points clawed back by refunds after they were spent; repaid first from future earnings */
  pointsOwed: number
  /** points locked until a return window passes (待入账): not spendable, kept apart from `points` (absent before locks: 0) */
  pointsLocked?: number
  /** the open locks by their entry id: what each holds and until when (backend/loyalty/locks.ts) */
  locks?: Record<string, PointLock>
  /** lifetime growth value */
  growth: number
  /** growth earned per calendar year (brand time zone); tiers qualify on it */
  growthByYear?: Record<string, number>
  /** stored value, fen */
  balance: number
  status: MemberStatus
  channelId: string | null
  /** the staff member whose channel brought this member in */
  referrerStaffId: string | null
  /** the member whose share this member joined through (fixed at joining; absent on members from before invitations) */
  invitedBy?: string | null
  /** the inviter's inviter (level 2) */
  invitedBy2?: string | null
  /** the scene (`c.<code>`, `s.<code>` or a bare channel id) that first led to the join */
  joinScene?: string | null
  /** the clerk who owns the member when it was decided at joining (domain/social/owner.ts) */
  ownerStaffId?: string | null
  phone: string | null
  /** 支付密码 (domain/membership/pay-password.ts); absent or null until the member sets one */
  payPassword?: PayPasswordRecord | null
  profile: MemberProfile
  /** MM-DD of the birthday, for the nightly birthday gifts (set with the birthday) */
  birthdayMonthDay?: string
  addresses: AddressRecord[]
  consent: { version: string; at: Date } | null
  deletionRequestedAt: Date | null
  /** labels set by behaviour or by hand (用户画像), shown to clerks */
  tags: string[]
  lastVisitAt: Date | null
  /** every tier change with its reason, written atomically with the change */
  tierHistory: TierChange[]
  /** 挂失 / 解挂 / 冻结 / 解冻 history (optional on members created before it existed) */
  cardEvents?: CardEvent[]
  joinedAt: Date
  /** how many ledger entries were applied; guards updates that must see the exact member state (expiry) */
  entryCount: number
  /** the business day of the latest check-in ('' before the first); the check-in's guard at any age */
  lastCheckinDay?: string
  /** the entries of the latest changes, written atomically with them (see backend/ledger.ts) */
  outbox: Record<string, LedgerEntry>
  /** when the oldest entry still in the outbox was applied (the nightly trim selects by it); absent when empty */
  outboxOldestAt?: Date
  lastEntryAt: Date | null
}

export interface PointLock {
  points: number
  until: Date
}

export interface TierChange {
  from: string | null
  to: string
  reason: 'join' | 'upgrade' | 'yearly-review' | 'manual'
  at: Date
}

export interface MemberProfile {
  name: string | null
  gender: 'female' | 'male' | 'unknown'
  birthday: string | null
  birthdayLocked: boolean
}

export interface AddressRecord {
  id: string
  name: string
  phone: string
  region: string
  detail: string
  isDefault: boolean
}

export const EMPTY_PROFILE: MemberProfile = { name: null, gender: 'unknown', birthday: null, birthdayLocked: false }

export interface ChannelRecord {
  _id: string
  name: string
  ownerType: 'staff'
  ownerId: string
  storeId: string
}

/** One member per WeChat user: the id is derived from the openid so a second join collides. */
export function memberIdFor(openid: string): string {
  return 'm_' + createHash('sha256').update(openid).digest('hex').slice(0, 24)
}

export const FIRST_MEMBER_NO = 10000001

export function formatMemberNo(sequence: number): string {
  return String(sequence)
}

export interface NewMember {
  openid: string
  unionid?: string | null
  memberNo: string
  nickname?: string
  cardTypeId: string
  tierId: string
  channel?: ChannelRecord | null
  /** entries the member starts with (the join entry), applied and in the outbox */
  opening?: LedgerEntry[]
  /** the privacy policy version agreed to by joining */
  consentVersion?: string | null
  invitation?: { inviterId: string; inviter2Id: string | null } | null
  joinScene?: string | null
  ownerStaffId?: string | null
  now: Date
}

/** A new member document, its balances the sums of its opening entries. */
export function newMemberRecord({
  openid,
  unionid = null,
  memberNo,
  nickname,
  cardTypeId,
  tierId,
  channel = null,
  opening = [],
  consentVersion = null,
  invitation = null,
  joinScene = null,
  ownerStaffId = null,
  now,
}: NewMember): MemberRecord {
  const sum = (field: 'points' | 'balance' | 'growth') => opening.reduce((total, entry) => total + entry[field], 0)
  return {
    _id: memberIdFor(openid),
    openid,
    unionid,
    memberNo,
    nickname: nickname ?? defaultNickname(memberNo),
    cardTypeId,
    tierId,
    points: sum('points'),
    pointsOwed: 0,
    growth: sum('growth'),
    growthByYear: opening.reduce<Record<string, number>>((years, entry) => {
      if (entry.growth) years[entry.businessDay.slice(0, 4)] = (years[entry.businessDay.slice(0, 4)] ?? 0) + entry.growth
      return years
    }, {}),
    balance: sum('balance'),
    status: 'active',
    channelId: channel?._id ?? null,
    referrerStaffId: channel?.ownerType === 'staff' ? channel.ownerId : null,
    invitedBy: invitation?.inviterId ?? null,
    invitedBy2: invitation?.inviter2Id ?? null,
    joinScene,
    ownerStaffId,
    phone: null,
    profile: EMPTY_PROFILE,
    addresses: [],
    consent: consentVersion ? { version: consentVersion, at: now } : null,
    deletionRequestedAt: null,
    tags: [],
    lastVisitAt: null,
    tierHistory: [{ from: null, to: tierId, reason: 'join', at: now }],
    joinedAt: now,
    entryCount: opening.length,
    lastCheckinDay: '',
    outbox: Object.fromEntries(opening.map((entry) => [entry._id, entry])),
    ...(opening.length > 0 ? { outboxOldestAt: new Date(Math.min(...opening.map((entry) => new Date(entry.createdAt).getTime()))) } : {}),
    lastEntryAt: opening.length ? now : null,
  }
}

export function defaultNickname(memberNo: string): string {
  return `会员${memberNo.slice(-4)}`
}

/** 小林同学 → 小**学, Amy → A*y, 林 → 林*: the first and last characters, at most three stars between. */
export function maskNickname(nickname: string): string {
  const chars = [...nickname]
  if (chars.length <= 2) return `${chars[0] ?? ''}*`
  return `${chars[0]}${'*'.repeat(Math.min(3, chars.length - 2))}${chars[chars.length - 1]}`
}

export function maskPhone(phone: string | null): string | null {
  if (!phone) return null
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

/** Growth earned in a calendar year, the measure tiers qualify on. */
export function growthInYear(member: Pick<MemberRecord, 'growthByYear'>, year: number): number {
  return member.growthByYear?.[String(year)] ?? 0
}

export function toMemberView(member: MemberRecord, tiers: Tier[], cardTypes: CardType[], channel: ChannelRecord | null, year: number): MemberView {
  const cardType = cardTypes.find((type) => type._id === member.cardTypeId) ?? cardTypes.find((type) => type.isDefault)
  return {
    memberId: member._id,
    memberNo: member.memberNo,
    nickname: member.nickname,
    cardType: cardType ? { id: cardType._id, name: cardType.name } : { id: member.cardTypeId, name: member.cardTypeId },
    tier: tierView(member.tierId, growthInYear(member, year), tiers),
    points: member.points,
    pointsOwed: member.pointsOwed,
    balance: member.balance,
    growth: member.growth,
    joinedAt: new Date(member.joinedAt).toISOString(),
    channel: channel ? { id: channel._id, name: channel.name } : null,
    status: member.status,
  }
}

/** A tier as the card shows it: its name, and how much growth the next tier needs. */
export function tierView(tierId: string, growth: number, tiers: Tier[]): TierView {
  const index = Math.max(
    0,
    tiers.findIndex((tier) => tier._id === tierId),
  )
  const tier = tiers[index]
  const next = tiers[index + 1]
  return {
    id: tier._id,
    name: tier.name,
    nextTierName: next ? next.name : null,
    growthToNext: next ? Math.max(0, next.growthThreshold - growth) : null,
  }
}
