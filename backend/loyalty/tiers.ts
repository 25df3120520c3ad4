import type { Tier } from '../../domain/shared/config'
import { growthInYear, type MemberRecord } from '../../domain/membership'
import { businessDay } from '../../domain/shared/time'
import { upgradeFor } from '../../domain/loyalty/tiers'
import { database } from '../platform/cloud'

/**
 * Moves a member up to the tier their growth earned this calendar year has reached (the same
 * measure the yearly review downgrades on), recording the change in the same atomic update.
 * Only the caller that still sees the old tier wins, so it is recorded once.
 * Returns the member as it is afterwards.
 */
export async function upgradeIfEarned(member: MemberRecord, tiers: Tier[], now: Date, timeZone: string): Promise<MemberRecord> {
  const target = upgradeFor(member.tierId, growthInYear(member, Number(businessDay(now, timeZone).slice(0, 4))), tiers)
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
