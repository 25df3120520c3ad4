import { useCallback, useRef } from 'react'

/**
 * A function with one identity for the component's whole life that always runs the latest `fn`
 * (what React's useEffectEvent does): for effects and timers that should call the current
 * closure without re-running when it is re-created on each render.
 */
export function useLatestCallback<Args extends unknown[], Result>(fn: (...args: Args) => Result): (...args: Args) => Result {
  const latest = useRef(fn)
  latest.current = fn
  return useCallback((...args: Args) => latest.current(...args), [])
}
