/**
 * `shares`: one document per (sharer, target), `_id` its code (domain/social/shares.ts). Making a
 * share is idempotent: the code is derived, so the same member and target always land on the same
 * document; a second call reads it back.
 */
import { createHmac } from 'node:crypto'
import type { ShareTarget } from '../../domain/contract'
import { targetKey, type ShareRecord } from '../../domain/social'
import { database, isDuplicateKey } from '../platform/cloud'
import { requiredSetting } from '../platform/settings'

const shares = () => database().collection('shares')

const CODE_LENGTH = 10

/**
 * The share code of (sharer, target): 10 base64url characters (60 bits) of an HMAC under the
 * server's secret, so it is the same on every call and nobody can make one for someone else.
 * `attempt` > 0 only when two pairs meet on one code (odds ~10^-18 a pair): the next one is theirs.
 */
export function shareCodeFor(sharerId: string, key: string, secret: string, attempt = 0): string {
  return createHmac('sha256', `share:${secret}`).update(`${sharerId}|${key}|${attempt}`).digest('base64url').slice(0, CODE_LENGTH)
}

export async function findShare(code: string): Promise<ShareRecord | null> {
  const { data } = await shares().doc(code).get()
  return (data[0] as ShareRecord | undefined) ?? null
}

/** The member's share of the target: read back when it exists (1 call), else made (2). */
export async function shareOf(sharer: { _id: string; nickname: string }, target: ShareTarget, now: Date): Promise<ShareRecord> {
  const key = targetKey(target)
  const secret = requiredSetting('SHARE_CODE_SECRET')
  for (let attempt = 0; attempt < 4; attempt++) {
    const code = shareCodeFor(sharer._id, key, secret, attempt)
    const existing = await findShare(code)
    if (existing) {
      if (existing.sharerId === sharer._id && existing.targetKey === key) return existing
      continue // another pair's code
    }
    const record: ShareRecord = { _id: code, sharerId: sharer._id, sharerNickname: sharer.nickname, target, targetKey: key, createdAt: now }
    try {
      await shares().add(record)
      return record
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
      attempt-- // made at the same moment by this member's other call (or taken by another pair): read it again
    }
  }
  throw new Error('no free share code after 4 attempts')
}
