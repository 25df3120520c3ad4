import { useEffect, useState } from 'react'
import type { ShareTarget } from '@domain/contract'
import { socialService } from '../services/social'

/**
 * The member's share code for what the page shows, once the page knows it is a member's view; null
 * until then, for a visitor, or when it cannot be had (the page then shares without a code: the
 * friend still lands on the page, just without attribution).
 */
export function useShareCode(target: ShareTarget | null): string | null {
  const [code, setCode] = useState<string | null>(null)
  const key = target ? `${target.type}:${target.id ?? ''}` : ''
  useEffect(() => {
    setCode(null)
    if (!target) return
    let live = true
    socialService.share(target).then(
      (answer) => live && setCode(answer.code),
      () => undefined,
    )
    return () => {
      live = false
    }
    // the target's identity is its key
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return code
}
