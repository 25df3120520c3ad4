import { useEffect, useState } from 'react'

/**
 * The current time, re-read every `intervalMs` while `active` (countdowns: 秒杀 start, pay-by,
 * group expiry). Stops ticking when nothing on the page counts down.
 */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return undefined
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [active, intervalMs])
  return active ? now : Date.now()
}
