import { useDidHide, useDidShow, useUnload } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { serverNow } from '../../lib/server-clock'
import { useLatestCallback } from '../../lib/use-latest-callback'
import { isServiceError } from '../../services/errors'

/** Ask for a new code this long before the shown one expires. */
const REFRESH_AHEAD_MS = 30_000
const MIN_DELAY_MS = 5_000
/** After a failed refresh, try again this much later (the old code stays on screen while it is valid). */
const RETRY_MS = 15_000

export type SignedCode = { kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; code: string; expiresAt: number; refreshing: boolean; refreshError: unknown }

/**
 * A short-lived signed code on screen (券码, 提货码): fetched while `enabled`, asked again before it
 * expires, and again whenever the page is shown; nothing runs while the page is hidden.
 */
export function useSignedCode(fetchCode: () => Promise<{ code: string; expiresAt: number }>, enabled: boolean) {
  const [state, setShown] = useState<SignedCode>({ kind: 'idle' })
  const shown = useRef<SignedCode>(state)
  const setState = (next: SignedCode) => {
    shown.current = next
    setShown(next)
  }
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latest = useRef(0)
  const visible = useRef(true)
  const fetchRef = useRef(fetchCode)
  fetchRef.current = fetchCode

  const clear = () => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
  }
  const schedule = (ms: number) => {
    clear()
    if (visible.current) timer.current = setTimeout(() => void load(), Math.max(MIN_DELAY_MS, ms))
  }

  async function load() {
    const call = ++latest.current
    clear()
    const before = shown.current
    setState(before.kind === 'ready' ? { ...before, refreshing: true, refreshError: null } : { kind: 'loading' })
    try {
      const { code, expiresAt } = await fetchRef.current()
      if (call !== latest.current) return
      setState({ kind: 'ready', code, expiresAt, refreshing: false, refreshError: null })
      schedule(expiresAt - serverNow() - REFRESH_AHEAD_MS)
    } catch (error) {
      if (call !== latest.current) return
      const current = shown.current
      // a lost answer keeps the shown code while it is valid; the server's refusal (used, collected) replaces it
      const transient = !isServiceError(error) || error.code === 'NETWORK' || error.code === 'INTERNAL' || error.code === 'ABORTED'
      if (transient && current.kind === 'ready' && current.expiresAt > serverNow()) {
        setState({ ...current, refreshing: false, refreshError: error })
        schedule(RETRY_MS)
      } else {
        setState({ kind: 'error', error })
      }
    }
  }

  // one identity each for the effect below: it runs when `enabled` changes, not on every render
  const stop = useLatestCallback(() => {
    latest.current++
    clear()
  })
  const start = useLatestCallback(() => void load())
  const idle = useLatestCallback(() => setState({ kind: 'idle' }))

  useEffect(() => {
    if (enabled) start()
    else {
      stop()
      idle()
    }
    return stop
  }, [enabled, start, stop, idle])

  useDidShow(() => {
    if (visible.current) return
    visible.current = true
    if (enabled) void load()
  })
  useDidHide(() => {
    visible.current = false
    stop()
  })
  useUnload(() => {
    visible.current = false
    stop()
  })

  return { state, refresh: () => void load() }
}
