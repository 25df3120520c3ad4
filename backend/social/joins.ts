/**
 * What a join takes from the social context, and what it gives back. The join reads the person
 * (1 call) for the invitation it fixes and the first scene that led to it; its `joined` fact then
 * writes the member's side onto the person (the `people-joined` follower), so later opens know a
 * member, and a friend bound to this member later learns their inviter and owner.
 */
import { invitationAtJoin, joiningScene, type Invitation, type PersonRecord } from '../../domain/social'
import type { AnyFact } from '../../domain/shared/events'
import { database, isDuplicateKey } from '../platform/cloud'
import type { Follower } from '../platform/events'
import { findPeople, newPerson, people } from './people'

export interface JoinAttribution {
  invitation: Invitation | null
  /** the scene the joining channel comes from: the first that led here, else the join page's */
  scene: string | null
}

export async function joinAttribution(memberId: string, joinPageScene: string | null): Promise<JoinAttribution> {
  const person = (await findPeople([memberId])).get(memberId) ?? null
  return { invitation: invitationAtJoin(person, memberId), scene: joiningScene(person, joinPageScene) }
}

async function recordJoin(fact: AnyFact, now: Date): Promise<void> {
  if (fact.type !== 'joined') return
  const { memberId, inviterId = null, ownerStaffId = null } = fact.data
  const joined: Partial<PersonRecord> = { memberAt: new Date(fact.at), invitedBy: inviterId, ownerStaffId }
  const _ = database().command
  const { updated } = await people()
    .where({ _id: memberId })
    .update({ ...joined, seq: _.inc(1), updatedAt: now })
  if (updated === 1) return
  try {
    await people().add({ ...newPerson(memberId, now), ...joined, seq: 1 })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    await people()
      .where({ _id: memberId })
      .update({ ...joined, seq: _.inc(1), updatedAt: now })
  }
}

/** Writes a new member's membership, inviter and owner onto their person (the same values on every delivery). */
export const peopleJoinedFollower: Follower = { name: 'people-joined', handle: recordJoin }
