/**
 * 支付密码 on the database: set or change it, check it before an online payment from stored value,
 * reset it at a store. Only scrypt(password, salt) is kept. An attempt is counted on the member
 * *before* the password is compared (one conditional increment while under the limit), so a burst
 * of guesses sent at once gets no more comparisons than the limit; a right one clears the count.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { checkNewPayPassword, needsPayPassword, payPasswordLocked, payPasswordState, payPasswordWrong, type PayPasswordRecord } from '../../domain/membership/pay-password'
import type { MemberRecord } from '../../domain/membership'
import { AppError } from '../../domain/shared/errors'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { findMember, notAMember } from './members'

/** scrypt cost: N = 2^14, r = 8, p = 1 (16 MB, tens of milliseconds a try). */
const SCRYPT = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

function hashOf(password: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, Buffer.from(salt, 'hex'), 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))))
}

async function onlinePaymentRules() {
  return (await loyaltyConfig()).storedValue.onlinePayment
}

/** Compares `password` with the member's, counting the attempt first; throws when it is wrong or locked. */
async function verify(member: MemberRecord, record: PayPasswordRecord, password: string, maxFailures: number): Promise<void> {
  const _ = database().command
  const { doc } = (await database()
    .collection('members')
    .where({ _id: member._id, 'payPassword.salt': record.salt, 'payPassword.failures': _.lt(maxFailures) })
    .updateAndReturn({ 'payPassword.failures': _.inc(1) })) as { doc?: MemberRecord }
  const counted = doc?.payPassword
  if (!counted) throw payPasswordLocked()
  const given = await hashOf(password, counted.salt)
  if (!timingSafeEqual(given, Buffer.from(counted.hash, 'hex'))) throw payPasswordWrong(maxFailures - counted.failures)
  await database().collection('members').where({ _id: member._id, 'payPassword.salt': counted.salt }).update({ 'payPassword.failures': 0 })
}

/** Whether an online payment of `amount` fen from stored value needs the password (the brand's amount). */
export async function needsStoredValuePassword(amount: number): Promise<boolean> {
  return needsPayPassword(amount, (await onlinePaymentRules()).passwordAbove)
}

/**
 * The member's consent to an online payment from stored value that needs it (needsStoredValuePassword):
 * the payment password, given and right.
 */
export async function requireStoredValueConsent(memberId: string, payPassword: string | undefined): Promise<void> {
  const rules = await onlinePaymentRules()
  const member = await findMember(memberId)
  if (!member) throw notAMember()
  if (!member.payPassword) throw new AppError('PAY_PASSWORD_NOT_SET', '请先在个人资料中设置支付密码')
  if (payPasswordState(member.payPassword, rules.maxFailures) === 'locked') throw payPasswordLocked()
  if (payPassword === undefined) {
    throw new AppError('PAY_PASSWORD_REQUIRED', `储值支付超过 ${rules.passwordAbove / 100} 元需输入支付密码`, [{ path: 'payPassword', message: 'required above the brand’s amount' }])
  }
  await verify(member, member.payPassword, payPassword, rules.maxFailures)
}

/** Sets the first password, or changes it with the current one (counted as an attempt). */
export async function setPayPassword(memberId: string, password: string, currentPassword: string | undefined, now: Date): Promise<void> {
  checkNewPayPassword(password)
  const member = await findMember(memberId)
  if (!member) throw notAMember()
  const { maxFailures } = await onlinePaymentRules()
  const before = member.payPassword ?? null
  if (before) {
    if (payPasswordState(before, maxFailures) === 'locked') throw payPasswordLocked()
    if (currentPassword === undefined) throw new AppError('PAY_PASSWORD_REQUIRED', '请输入当前支付密码', [{ path: 'currentPassword', message: 'required to change the password' }])
    await verify(member, before, currentPassword, maxFailures)
  }
  const salt = randomBytes(16).toString('hex')
  const record: PayPasswordRecord = { hash: (await hashOf(password, salt)).toString('hex'), salt, failures: 0, setAt: now }
  // only over the password that was checked (or none): of two changes at once, one lands
  const where = before ? { _id: memberId, 'payPassword.salt': before.salt } : { _id: memberId, payPassword: null }
  const { updated } = await database().collection('members').where(where).update({ payPassword: record })
  if (updated !== 1) throw new AppError('BUSY', '支付密码刚被修改，请重试')
}

/** At a store, after the clerk checked the phone number: the member sets a new one. */
export async function resetPayPassword(memberId: string): Promise<void> {
  await database().collection('members').doc(memberId).update({ payPassword: null })
}
