/**
 * A member's personal information (个人资料), pure rules: the profile view, the birthday that can
 * be set once, the address book (at most 10, exactly one default), and the shape of the personal
 * data export (个人信息导出) — everything we hold about the member, nothing internal.
 */
import type { AddressView, ProfileView } from '../contract'
import { AppError } from '../shared/errors'
import type { LedgerEntry } from '../shared/ledger-entry'
import { maskPhone, type AddressRecord, type MemberRecord } from './member'
import { payPasswordState } from './pay-password'

export const MAX_ADDRESSES = 10

export const BIRTHDAY_LOCKED_MESSAGE = '生日设置后不可修改，如需修改请到门店'

type ProfileSource = Pick<MemberRecord, 'nickname' | 'payPassword' | 'profile' | 'phone' | 'addresses' | 'consent' | 'deletionRequestedAt'>

const iso = (value: Date | string | number | null | undefined): string | null => (value == null ? null : new Date(value).toISOString())

export function toAddressView(address: AddressRecord): AddressView {
  return { id: address.id, name: address.name, phone: address.phone, region: address.region, detail: address.detail, isDefault: address.isDefault }
}

export function toProfileView(member: ProfileSource, onlinePayment: { passwordAbove: number; maxFailures: number }): ProfileView {
  const profile = member.profile ?? { name: null, gender: 'unknown', birthday: null, birthdayLocked: false }
  return {
    nickname: member.nickname,
    name: profile.name ?? null,
    gender: profile.gender ?? 'unknown',
    birthday: profile.birthday ?? null,
    birthdayLocked: profile.birthdayLocked === true,
    phoneMasked: maskPhone(member.phone ?? null),
    addresses: (member.addresses ?? []).map(toAddressView),
    consent: member.consent ? { version: member.consent.version, at: iso(member.consent.at) as string } : null,
    deletionRequestedAt: iso(member.deletionRequestedAt),
    payPassword: { state: payPasswordState(member.payPassword, onlinePayment.maxFailures), requiredAbove: onlinePayment.passwordAbove },
  }
}

/**
 * A birthday must be a real calendar day, not in the future and not before 1900.
 * `today` is the brand's business day (YYYY-MM-DD).
 */
export function checkBirthday(birthday: string, today: string): void {
  const refuse = (message: string) => new AppError('BIRTHDAY_INVALID', message, [{ path: 'birthday', message }])
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday)
  if (!match) throw refuse('生日格式应为 YYYY-MM-DD')
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw refuse('生日不是有效的日期')
  if (year < 1900) throw refuse('生日不能早于 1900 年')
  if (birthday > today) throw refuse('生日不能晚于今天')
}

/**
 * Whether an update may set the birthday: always while unlocked; once locked only the same date
 * again (a retry of the call that set it), which changes nothing.
 * Returns true when the birthday is to be written.
 */
export function birthdayToWrite(current: Pick<MemberRecord['profile'], 'birthday' | 'birthdayLocked'>, wanted: string | undefined): boolean {
  if (wanted === undefined) return false
  if (!current.birthdayLocked) return true
  if (current.birthday === wanted) return false
  throw new AppError('BIRTHDAY_LOCKED', BIRTHDAY_LOCKED_MESSAGE)
}

export interface AddressInput {
  id?: string
  name: string
  phone: string
  region: string
  detail: string
  isDefault: boolean
}

/**
 * The address book after saving one address. A new address (no id) gets `newId`; an id that is
 * not in the book is NOT_FOUND. At most MAX_ADDRESSES. Exactly one default whenever the book is
 * not empty: the first address is the default, a new default replaces the old one, and
 * un-defaulting the only default is ignored (some address must be the default).
 */
export function saveAddress(addresses: AddressRecord[], input: AddressInput, newId: string): AddressRecord[] {
  const book = addresses.map((address) => ({ ...address }))
  let id = input.id
  const fields = { name: input.name, phone: input.phone, region: input.region, detail: input.detail }
  if (id !== undefined) {
    const existing = book.find((address) => address.id === id)
    if (!existing) throw new AppError('ADDRESS_NOT_FOUND', '地址不存在或已删除', [{ path: 'id', message: 'no such address' }])
    Object.assign(existing, fields)
  } else {
    if (book.length >= MAX_ADDRESSES) {
      throw new AppError('ADDRESS_BOOK_FULL', `最多保存 ${MAX_ADDRESSES} 个地址，请先删除不用的地址`)
    }
    id = newId
    book.push({ id, ...fields, isDefault: false })
  }
  if (input.isDefault) for (const address of book) address.isDefault = address.id === id
  return withOneDefault(book)
}

/** The address book without one address; removing the default makes the first remaining one the default. */
export function removeAddress(addresses: AddressRecord[], id: string): AddressRecord[] {
  if (!addresses.some((address) => address.id === id)) throw new AppError('ADDRESS_NOT_FOUND', '地址不存在或已删除', [{ path: 'id', message: 'no such address' }])
  return withOneDefault(addresses.filter((address) => address.id !== id).map((address) => ({ ...address })))
}

/** Exactly one default when the book is not empty: keeps the first default, else makes the first address it. */
export function withOneDefault(addresses: AddressRecord[]): AddressRecord[] {
  const first = addresses.findIndex((address) => address.isDefault)
  const keep = first >= 0 ? first : 0
  return addresses.map((address, index) => ({ ...address, isDefault: index === keep }))
}

/** Member fields that are bookkeeping, never personal data, and never leave the server. */
export const INTERNAL_MEMBER_FIELDS = ['_id', 'openid', 'unionid', 'entryCount', 'lastCheckinDay', 'outbox', 'lastEntryAt', 'referrerStaffId', 'addressRev'] as const

export interface ExportSources {
  member: MemberRecord & { cardEvents?: { action: string; by: string; at: Date | string }[] }
  /** the member's ledger entries (points and stored value), any order */
  ledger: LedgerEntry[]
  tierNames: Record<string, string>
  cardTypeName: string
  channelName: string | null
  topupOrders: { _id: string; amount: number; bonus: number; status: string; createdAt: Date | string; paidAt?: Date | string | null }[]
}

/**
 * 个人信息导出: what we hold about one member, readable, with instants as ISO strings. Built field by
 * field (never by copying the stored document), so bookkeeping such as entryCount, outbox or
 * the WeChat openid cannot leak into it.
 */
export function exportShape(sources: ExportSources): Record<string, unknown> {
  const { member } = sources
  const tierName = (id: string | null) => (id ? (sources.tierNames[id] ?? id) : null)
  const ledger = [...sources.ledger].sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || a._id.localeCompare(b._id))
  return {
    member: {
      memberNo: member.memberNo,
      nickname: member.nickname,
      cardType: sources.cardTypeName,
      tier: tierName(member.tierId),
      status: member.status,
      joinedAt: iso(member.joinedAt),
      channel: sources.channelName,
      lastVisitAt: iso(member.lastVisitAt),
      points: member.points,
      pointsOwed: member.pointsOwed,
      storedValueFen: member.balance,
      growth: member.growth,
    },
    profile: {
      name: member.profile?.name ?? null,
      gender: member.profile?.gender ?? 'unknown',
      birthday: member.profile?.birthday ?? null,
      phone: member.phone ?? null,
    },
    addresses: (member.addresses ?? []).map(toAddressView),
    tags: [...(member.tags ?? [])],
    consent: member.consent ? { version: member.consent.version, at: iso(member.consent.at) } : null,
    deletionRequestedAt: iso(member.deletionRequestedAt),
    tierHistory: (member.tierHistory ?? []).map((change) => ({ from: tierName(change.from), to: tierName(change.to), reason: change.reason, at: iso(change.at) })),
    cardEvents: (member.cardEvents ?? []).map((event) => ({ action: event.action, by: event.by, at: iso(event.at) })),
    /** points and stored-value entries, oldest first */
    ledger: ledger.map((entry) => ({
      id: entry._id,
      kind: entry.kind,
      points: entry.points,
      storedValueFen: entry.balance,
      growth: entry.growth,
      at: iso(entry.createdAt),
      businessDay: entry.businessDay,
      description: entry.description,
    })),
    topupOrders: sources.topupOrders.map((order) => ({
      orderId: order._id,
      amountFen: order.amount,
      bonusFen: order.bonus,
      status: order.status,
      createdAt: iso(order.createdAt),
      paidAt: iso(order.paidAt ?? null),
    })),
  }
}
