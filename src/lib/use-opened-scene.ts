import { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { OpenedSceneView } from '@domain/contract'
import { socialService } from '../services/social'
import { inTimelineMode, readScene } from './scene'

/** One open per scene and app session: the server records it once anyway, this spares the calls. */
const opens = new Map<string, Promise<OpenedSceneView | null>>()

function openOnce(scene: string): Promise<OpenedSceneView | null> {
  let open = opens.get(scene)
  if (!open) {
    open = socialService.open(scene).then(
      ({ opened }) => opened,
      () => {
        opens.delete(scene)
        return null
      },
    )
    opens.set(scene, open)
  }
  return open
}

/**
 * A page that a share or a channel code can open: records the open (which binds the visitor to the
 * sharer on the server) and tells what the scene named, for 「…」邀请你 and 由 … 推荐. Nothing is
 * called in Moments' single-page mode, which has no session.
 */
export function useOpenedScene(): { scene: string | undefined; opened: OpenedSceneView | null; timeline: boolean } {
  const params = useRouter().params
  const scene = readScene(params)
  const timeline = inTimelineMode(params)
  const [opened, setOpened] = useState<OpenedSceneView | null>(null)
  useEffect(() => {
    if (!scene || timeline) return
    let live = true
    void openOnce(scene).then((answer) => live && setOpened(answer))
    return () => {
      live = false
    }
  }, [scene, timeline])
  return { scene, opened, timeline }
}
