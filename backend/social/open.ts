/**
 * Opening a share or channel code (social.open). The app sends the scene it was opened with; the
 * server records the open once per opener and code and binds the opener to the sharer under the
 * brand's bind mode (domain/social/binding.ts). Database calls: the share (or channel), the two
 * people (opener and sharer) in one query, and one conditional write of the opener carrying the
 * fact `scene_opened`, whose followers log the open; so 3. Only when the brand binds newcomers
 * only and the opener has no person document yet (a member from before people were kept) is the
 * members collection read as well.
 */
import type { ActionResults } from '../../domain/contract'
import { bindDecision, parseScene, sceneOf, type Binding, type PersonRecord, type SocialConfig } from '../../domain/social'
import { fact } from '../../domain/shared/events'
import { businessDay } from '../../domain/shared/time'
import { AppError } from '../../domain/shared/errors'
import type { Brand } from '../../domain/shared/config'
import { loyaltyConfig } from '../platform/config-store'
import { findChannel, findMember } from '../membership'
import { findPeople, writePerson } from './people'
import { findShare } from './shares'

type Opened = ActionResults['social']['open']

const WRITE_ATTEMPTS = 12

export async function openScene(scene: string, openerId: string, now: Date): Promise<Opened> {
  const parsed = parseScene(scene)
  if (!parsed) return { opened: null }
  const { brand, social } = await loyaltyConfig()
  if (parsed.kind === 'channel') {
    const channel = await findChannel(parsed.code)
    if (!channel) return { opened: null }
    await record(openerId, now, brand, async (opener) => ({
      changes: opener?.firstScene ? {} : { firstScene: { scene, at: now } },
      data: { kind: 'channel', code: parsed.code, sharerId: null, channelId: channel._id, target: null, bound: false, member: opener?.memberAt != null },
    }))
    return { opened: { kind: 'channel', target: null, from: channel.name } }
  }
  const share = await findShare(parsed.code)
  if (!share) return { opened: null }
  await record(
    openerId,
    now,
    brand,
    async (opener, sharer) => {
      const openerIsMember = await isMember(openerId, opener, social)
      const decision = bindDecision({ openerId, opener, openerIsMember, sharerId: share.sharerId, sharer, now, rules: social.binding })
      const binding: Binding | null = decision.bind
        ? { sharerId: share.sharerId, shareCode: share._id, at: now, sharerInviterId: sharer?.invitedBy ?? null, sharerOwnerStaffId: sharer?.ownerStaffId ?? null }
        : null
      return {
        changes: { ...(binding ? { boundTo: binding } : {}), ...(opener?.firstScene ? {} : { firstScene: { scene, at: now } }) },
        data: { kind: 'share', code: share._id, sharerId: share.sharerId, channelId: null, target: share.target, bound: binding !== null, member: openerIsMember },
      }
    },
    share.sharerId,
  )
  return { opened: { kind: 'share', target: share.target, from: share.sharerNickname } }
}

/** Whether the opener is a member: their person says so once they joined; before people were kept, only the member document knows. */
async function isMember(openerId: string, opener: PersonRecord | null, social: SocialConfig): Promise<boolean> {
  if (opener?.memberAt) return true
  if (opener || !social.binding.newcomersOnly) return false
  return (await findMember(openerId)) !== null
}

type Decide = (
  opener: PersonRecord | null,
  sharer: PersonRecord | null,
) => Promise<{ changes: Partial<PersonRecord>; data: Omit<Parameters<typeof fact<'scene_opened'>>[3], 'openerId' | 'scene' | 'businessDay'> }>

/** Reads the opener (and sharer), decides, and writes the opener with the open's fact; again from a fresh read when another write came first. */
async function record(openerId: string, now: Date, brand: Brand, decide: Decide, sharerId?: string): Promise<void> {
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const found = await findPeople(sharerId ? [openerId, sharerId] : [openerId])
    const opener = found.get(openerId) ?? null
    const { changes, data } = await decide(opener, sharerId ? (found.get(sharerId) ?? null) : null)
    const scene = sceneOf(data.kind, data.code)
    const opened = fact('scene_opened', `${scene}:${openerId}`, now, { openerId, scene, businessDay: businessDay(now, brand.timeZone), ...data })
    // an open of this code still waiting to be published is the first one: it stays as it was
    const waiting = (opener as { events?: Record<string, unknown> } | null)?.events?.[opened._id] !== undefined
    if (await writePerson(opener, openerId, changes, waiting ? [] : [opened], now)) return
  }
  throw new AppError('BUSY', '操作繁忙，请稍后重试')
}
