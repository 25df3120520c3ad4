/**
 * `people`: every WeChat user the social context has seen, member or not yet (`_id` = the member
 * id their openid gives). A person document is written only conditionally on its `seq`, so two
 * opens of one person at once cannot both decide from the same binding; the loser reads again.
 */
import type { PersonRecord } from '../../domain/social'
import type { AnyFact } from '../../domain/shared/events'
import { database, isDuplicateKey } from '../platform/cloud'
import { carriedFields, carryFacts } from '../platform/events'

export const people = () => database().collection('people')

export async function findPeople(ids: string[]): Promise<Map<string, PersonRecord>> {
  const unique = [...new Set(ids)]
  const { data } =
    unique.length === 1
      ? await people().doc(unique[0]).get()
      : await people()
          .where({ _id: database().command.in(unique) })
          .get()
  return new Map((data as PersonRecord[]).map((person) => [person._id, person]))
}

export function newPerson(id: string, now: Date): PersonRecord {
  return { _id: id, boundTo: null, firstScene: null, memberAt: null, invitedBy: null, ownerStaffId: null, seq: 0, updatedAt: now }
}

/**
 * Writes `changes` (with the facts they make true) over the person as read; false when someone
 * wrote in between (or created them first), so the caller decides again from a fresh read. A
 * write of facts alone changes nothing decided from the read, so it does not wait for its version.
 */
export async function writePerson(read: PersonRecord | null, id: string, changes: Partial<PersonRecord>, facts: AnyFact[], now: Date): Promise<boolean> {
  if (!read) {
    try {
      await people().add({ ...newPerson(id, now), ...changes, seq: 1, updatedAt: now, ...(facts.length > 0 ? carriedFields(...facts) : {}) })
      return true
    } catch (error) {
      if (isDuplicateKey(error)) return false
      throw error
    }
  }
  const _ = database().command
  if (Object.keys(changes).length === 0 && facts.length === 0) return true
  // only a fact to carry, nothing decided from the read: no version to hold to
  const where = Object.keys(changes).length === 0 ? { _id: id } : { _id: id, seq: read.seq }
  const { updated } = await people()
    .where(where)
    .update({ ...changes, seq: _.inc(1), updatedAt: now, ...(facts.length > 0 ? carryFacts(...facts) : {}) })
  return updated === 1
}
