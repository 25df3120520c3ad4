/** The social function's actions (domain/contract/social.ts). */
import { inactiveCardError, memberIdFor } from '../../domain/membership'
import { sceneOf } from '../../domain/social'
import type { Handlers } from '../platform/handler'
import { requireMember } from '../platform/handler'
import { ownMember } from '../membership'
import { invitedFriends } from './invites'
import { openScene } from './open'
import { shareOf } from './shares'

export const socialHandlers: Handlers<'social'> = {
  async share({ target }, { caller, now }) {
    const member = await ownMember(caller)
    if (member.status !== 'active') throw inactiveCardError(member.status)
    const share = await shareOf(member, target, now)
    return { code: share._id, scene: sceneOf('share', share._id), target: share.target }
  },

  open: ({ scene }, { caller, now }) => openScene(scene, memberIdFor(requireMember(caller)), now),

  invites: ({ limit }, { caller, now }) => invitedFriends(memberIdFor(requireMember(caller)), limit, now),
}
