import Taro from '@tarojs/taro'

/** Our scenes are short channel ids (WeChat allows 32 visible characters); same rule as the contract. */
const SCENE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/**
 * The channel `scene` that brought the user here, or undefined.
 * weapp: the page's `scene` query (mini-program code, `?scene=` link) or else the launch options;
 * h5: the page query. The value arrives URI-encoded; anything that is not a valid scene is ignored
 * (joining still works, just without attribution).
 */
export function readScene(params: Record<string, string | undefined>): string | undefined {
  const candidates: Array<string | undefined> = [params.scene]
  if (process.env.TARO_ENV === 'weapp') {
    const launchScene = (Taro.getLaunchOptionsSync().query as Record<string, string | undefined> | undefined)?.scene
    candidates.push(launchScene)
  }
  for (const raw of candidates) {
    if (!raw) continue
    const scene = decode(String(raw)).trim()
    if (SCENE_PATTERN.test(scene)) return scene
  }
  return undefined
}
