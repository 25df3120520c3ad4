import type { Tier } from '../domain/config'
import type { MemberRecord } from '../domain/member'
import { upgradeFor } from '../domain/tiers'
import { database } from './cloud'

/**
 * Moves a member up to the tier their growth has reached, recording the change in the same
 * atomic update. Only the caller that still sees the old tier wins, so it is recorded once.
 * Returns the member as it is afterwards.
 */
export async function upgradeIfEarned(member: MemberRecord, tiers: Tier[], now: Date): Promise<MemberRecord> {
  const target = upgradeFor(member.tierId, member.growth, tiers)
  if (!target) return member
  const _ = database().command
  const { doc } = (await database()
    .collection('members')
    .where({ _id: member._id, tierId: member.tierId })
    .updateAndReturn({ tierId: target._id, tierHistory: _.push({ each: [{ from: member.tierId, to: target._id, reason: 'upgrade', at: now }] }) })) as {
    doc?: MemberRecord
  }
  return doc ?? member
}
