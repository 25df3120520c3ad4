/**
 * `scene_opens`: one document per opener and code (`<scene>:<opener>`), the log that reach by share
 * and channel is counted from. Written by the follower of `scene_opened`, so an open costs its
 * opener no extra call; the first open is kept, a later one of the same code adds nothing.
 */
import type { AnyFact } from '../../domain/shared/events'
import { database, isDuplicateKey } from '../platform/cloud'
import type { Follower } from '../platform/events'

export const sceneOpens = () => database().collection('scene_opens')

async function logOpen(fact: AnyFact): Promise<void> {
  if (fact.type !== 'scene_opened') return
  const { openerId, scene, kind, code, sharerId, channelId, target, bound, member, businessDay } = fact.data
  try {
    await sceneOpens().add({ _id: `${scene}:${openerId}`, openerId, scene, kind, code, sharerId, channelId, target, bound, member, businessDay, at: new Date(fact.at) })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
}

export const sceneOpensFollower: Follower = { name: 'scene-opens', handle: logOpen }
