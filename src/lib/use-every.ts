import { useEffect } from 'react'
import { useLatestCallback } from './use-latest-callback'

/** Calls `tick` every `ms` while `enabled`: a page looking again at what someone else changes (a clerk's scan, a friend's claim). */
export function useEvery(ms: number, enabled: boolean, tick: () => void): void {
  const latest = useLatestCallback(tick)
  useEffect(() => {
    if (!enabled) return
    const timer = setInterval(latest, ms)
    return () => clearInterval(timer)
  }, [ms, enabled, latest])
}
