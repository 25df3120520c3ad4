import { useEffect, useState } from 'react'
import { serverNow } from './server-clock'

/**
 * The current server time (see server-clock), re-read every `intervalMs` while `active` (countdowns: 秒杀 start, pay-by,
 * group expiry). Stops ticking when nothing on the page counts down.
 */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => serverNow())
  useEffect(() => {
    if (!active) return undefined
    setNow(serverNow())
    const timer = setInterval(() => setNow(serverNow()), intervalMs)
    return () => clearInterval(timer)
  }, [active, intervalMs])
  return active ? now : serverNow()
}
