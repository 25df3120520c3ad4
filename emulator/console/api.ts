/** What the console page asks of the emulator (emulator/console.ts and the /emulator/ routes). */
import { useCallback, useEffect, useState } from 'react'

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: 'no-store' })
  const body = (await response.json()) as T & { error?: { message?: string } }
  if (!response.ok) throw new Error(body.error?.message ?? `${response.status}`)
  return body
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const answer = (await response.json()) as T & { error?: { message?: string } }
  if (!response.ok) throw new Error(answer.error?.message ?? `${response.status}`)
  return answer
}

/** A function's answer as the router gives it. */
export interface Answer {
  ok: boolean
  data?: unknown
  error?: { code: string; reason: string; message: string; fields?: { path: string; message: string }[] }
}

/** Loads `url` (again every `everyMs` when given); `reload` loads it now. */
export function useJson<T>(url: string | null, everyMs?: number): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((n) => n + 1), [])
  useEffect(() => {
    if (!url) return
    let live = true
    getJson<T>(url).then(
      (body) => live && (setData(body), setError(null)),
      (reason: Error) => live && setError(reason.message),
    )
    return () => {
      live = false
    }
  }, [url, tick])
  useEffect(() => {
    if (!everyMs) return
    const timer = setInterval(reload, everyMs)
    return () => clearInterval(timer)
  }, [everyMs, reload])
  return { data, error, reload }
}

export function formatTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined) return '—'
  const date = new Date(at)
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' })
}
