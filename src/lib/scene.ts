import Taro from '@tarojs/taro'
import { SCENE_PATTERN } from '@domain/contract/scene'

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/**
 * The scene that brought the user to this page, or undefined: a share path's `s=<code>` (as
 * `s.<code>`), else a mini-program code's `scene` (`c.<code>`, `s.<code>`, or an older bare channel
 * id). weapp also looks at the launch options; values arrive URI-encoded. Anything that is not a
 * scene is ignored (the page still works, just without attribution).
 */
export function readScene(params: Record<string, string | undefined>): string | undefined {
  const candidates: Array<string | undefined> = [params.s ? `s.${decode(String(params.s))}` : undefined, params.scene]
  if (process.env.TARO_ENV === 'weapp') {
    const query = Taro.getLaunchOptionsSync().query as Record<string, string | undefined> | undefined
    candidates.push(query?.s ? `s.${decode(String(query.s))}` : undefined, query?.scene)
  }
  for (const raw of candidates) {
    if (!raw) continue
    const scene = decode(String(raw)).trim()
    if (SCENE_PATTERN.test(scene)) return scene
  }
  return undefined
}

/** WeChat's scene for a page opened from Moments (朋友圈) in single-page mode: no session, no calls. */
const TIMELINE_SCENE = 1154

/**
 * Whether the page is open in Moments' single-page mode: it shows without a session and invites the
 * visitor into the mini-program. H5 stands in with `timeline=1` in the query.
 */
export function inTimelineMode(params: Record<string, string | undefined>): boolean {
  if (process.env.TARO_ENV === 'weapp') return Taro.getLaunchOptionsSync().scene === TIMELINE_SCENE
  return params.timeline === '1'
}
