/**
 * 个人资料: profile, phone binding, address book, consent and the deletion request (the personal
 * data export, which spans contexts, is backend/compositions/personal-data.ts). Every write is one conditional update of the member document, so concurrent calls
 * cannot undo each other (the address book is guarded by a revision number).
 */
import { randomBytes } from 'node:crypto'
import { AppError } from '../../domain/shared/errors'
import { memberIdFor, type AddressRecord, type MemberRecord } from '../../domain/membership/member'
import { birthdayToWrite, checkBirthday, removeAddress, saveAddress, toAddressView, toProfileView } from '../../domain/membership/profile'
import { businessDay } from '../../domain/shared/time'
import { database, isDuplicateKey, type Caller } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { requireMember } from '../platform/handler'
import { findMember, memberView, notAMember } from './members'
import { setPayPassword } from './pay-password'
import { phoneNumberFromCode } from './phone'
import type { MemberHandlers } from './handlers'

const MAX_ATTEMPTS = 8

const members = () => database().collection('members')

async function profileView(member: MemberRecord) {
  return toProfileView(member, (await loyaltyConfig()).storedValue.onlinePayment)
}

/** The caller's own member document. */
export async function ownMember(caller: Caller): Promise<MemberRecord> {
  const member = await findMember(memberIdFor(requireMember(caller)))
  if (!member) throw notAMember()
  return member
}

async function updateAndReturn(where: Record<string, unknown>, update: Record<string, unknown>): Promise<MemberRecord | null> {
  const { doc } = (await members().where(where).updateAndReturn(update)) as { doc?: MemberRecord }
  return doc ?? null
}

type WithRev = MemberRecord & { addressRev?: number }

/** Read, change, write guarded by the address book's revision; retried when another call got there first. */
async function changeAddresses(caller: Caller, change: (book: AddressRecord[]) => AddressRecord[]): Promise<AddressRecord[]> {
  const memberId = memberIdFor(requireMember(caller))
  const _ = database().command
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const member = (await findMember(memberId)) as WithRev | null
    if (!member) throw notAMember()
    const book = change(member.addresses ?? [])
    const rev = member.addressRev
    const updated = await updateAndReturn({ _id: memberId, addressRev: rev === undefined ? _.exists(false) : rev }, { addresses: _.set(book), addressRev: (rev ?? 0) + 1 })
    if (updated) return updated.addresses
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * (attempt + 1)))
  }
  throw new AppError('BUSY', 'address book update kept conflicting')
}

export const profileHandlers: MemberHandlers<'profile' | 'updateProfile' | 'bindPhone' | 'setPayPassword' | 'saveAddress' | 'removeAddress' | 'recordConsent' | 'requestDeletion'> = {
  async profile(_input, { caller }) {
    const member = await ownMember(caller)
    return { member: await memberView(member), profile: await profileView(member) }
  },

  /** Nickname, name and gender any time; the birthday once (birthday gifts), after that only at a store. */
  async updateProfile({ nickname, name, gender, birthday }, { caller, now }) {
    const memberId = memberIdFor(requireMember(caller))
    const _ = database().command
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const member = await findMember(memberId)
      if (!member) throw notAMember()
      if (birthday !== undefined) checkBirthday(birthday, businessDay(now, (await loyaltyConfig()).brand.timeZone))
      const writeBirthday = birthdayToWrite(member.profile ?? { birthday: null, birthdayLocked: false }, birthday)
      const update: Record<string, unknown> = {}
      if (nickname !== undefined) update.nickname = nickname
      if (name !== undefined) update['profile.name'] = name
      if (gender !== undefined) update['profile.gender'] = gender
      if (writeBirthday && birthday) Object.assign(update, { 'profile.birthday': birthday, 'profile.birthdayLocked': true, birthdayMonthDay: birthday.slice(5) })
      if (Object.keys(update).length === 0) return { profile: await profileView(member) }
      // The birthday is written only while still unlocked: of two concurrent first settings, one wins.
      const where = writeBirthday ? { _id: memberId, 'profile.birthdayLocked': _.neq(true) } : { _id: memberId }
      const updated = await updateAndReturn(where, update)
      if (updated) return { profile: await profileView(updated) }
    }
    throw new AppError('BUSY', 'profile update kept conflicting')
  },

  /** 绑定手机号: the code from the getPhoneNumber button is exchanged through WeChat; the number is shown masked. */
  async bindPhone({ code }, { caller, now }) {
    const member = await ownMember(caller)
    const phone = await phoneNumberFromCode(code)
    const updated = await updateAndReturn({ _id: member._id }, { phone, phoneBoundAt: now })
    if (!updated) throw notAMember()
    return { profile: await profileView(updated) }
  },

  /** 支付密码: kept only as a slow salted hash (pay-password.ts) */
  async setPayPassword({ password, currentPassword }, { caller, now }) {
    const member = await ownMember(caller)
    await setPayPassword(member._id, password, currentPassword, now)
    return { profile: await profileView((await findMember(member._id)) as MemberRecord) }
  },

  async saveAddress(input, { caller }) {
    const id = `a_${randomBytes(8).toString('hex')}`
    const book = await changeAddresses(caller, (addresses) => saveAddress(addresses, input, id))
    return { addresses: book.map(toAddressView) }
  },

  async removeAddress({ id }, { caller }) {
    const book = await changeAddresses(caller, (addresses) => removeAddress(addresses, id))
    return { addresses: book.map(toAddressView) }
  },

  /** 隐私政策同意: the version the member agreed to, and when. */
  async recordConsent({ version }, { caller, now }) {
    const memberId = memberIdFor(requireMember(caller))
    const updated = await updateAndReturn({ _id: memberId }, { consent: database().command.set({ version, at: now }) })
    if (!updated) throw notAMember()
    return { profile: await profileView(updated) }
  },

  /**
   * 注销申请: records when (the first request counts); the account keeps working until head office
   * processes the request from `deletion_requests`.
   */
  async requestDeletion({ reason }, { caller, now }) {
    const memberId = memberIdFor(requireMember(caller))
    let member: (MemberRecord & { deletionReason?: string | null }) | null = await updateAndReturn(
      { _id: memberId, deletionRequestedAt: null },
      { deletionRequestedAt: now, deletionReason: reason ?? null },
    )
    if (!member) {
      member = await findMember(memberId)
      if (!member) throw notAMember()
    }
    const requestedAt = new Date(member.deletionRequestedAt ?? now)
    try {
      await database()
        .collection('deletion_requests')
        .add({ _id: memberId, memberId, memberNo: member.memberNo, requestedAt, reason: member.deletionReason ?? reason ?? null, status: 'pending' })
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
    return { deletionRequestedAt: requestedAt.toISOString() }
  },
}
