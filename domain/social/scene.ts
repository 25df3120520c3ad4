/**
 * What a mini-program code's `scene` (or a share path's `s`) names. Every scene we print or share is
 * `<kind>.<code>` — `c.` a channel (专属二维码), `s.` a share — within WeChat's 32 visible
 * characters, and the code is resolved on the server (never an openid or a member id). Channel codes
 * printed before kinds existed carry the bare channel id; they keep working as channels.
 */
import { SCENE_PATTERN } from '../contract/common'

export type SceneKind = 'channel' | 'share'

const PREFIX: Record<SceneKind, string> = { channel: 'c', share: 's' }
const KIND_OF: Record<string, SceneKind> = { c: 'channel', s: 'share' }

/** Codes are letters, digits, `_` and `-` (a subset of WeChat's scene characters, safe in a query). */
export const SCENE_CODE_PATTERN = /^[A-Za-z0-9_-]{1,30}$/

export interface ParsedScene {
  kind: SceneKind
  code: string
}

export function sceneOf(kind: SceneKind, code: string): string {
  if (!SCENE_CODE_PATTERN.test(code)) throw new Error(`not a scene code: ${code}`)
  return `${PREFIX[kind]}.${code}`
}

/** The kind and code a scene names, or null for anything else. */
export function parseScene(raw: string): ParsedScene | null {
  const scene = raw.trim()
  if (!SCENE_PATTERN.test(scene)) return null
  const dot = scene.indexOf('.')
  if (dot < 0) return { kind: 'channel', code: scene }
  return { kind: KIND_OF[scene.slice(0, dot)], code: scene.slice(dot + 1) }
}
