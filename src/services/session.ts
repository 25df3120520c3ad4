/**
 * The H5 dev session: which demo persona the browser is logged in as.
 * Only the H5 build uses it (the mini-program is identified by WeChat itself).
 */
import Taro from '@tarojs/taro'
import { routeUrl } from '../routes'

/** The emulator's demo personas (GET /h5/personas); `manager` when the demo data has a store manager. */
export type PersonaId = 'visitor' | 'member' | 'clerk' | 'manager'

export interface DevSession {
  token: string
  openid: string
  scene: string | null
  persona: PersonaId
}

const STORAGE_KEY = 'devSession'

export function readDevSession(): DevSession | null {
  try {
    const stored: unknown = Taro.getStorageSync(STORAGE_KEY)
    if (stored && typeof stored === 'object' && typeof (stored as DevSession).token === 'string' && (stored as DevSession).token) {
      return stored as DevSession
    }
  } catch {
    // storage unavailable: treat as logged out
  }
  return null
}

export function saveDevSession(session: DevSession): void {
  Taro.setStorageSync(STORAGE_KEY, session)
}

export function clearDevSession(): void {
  try {
    Taro.removeStorageSync(STORAGE_KEY)
  } catch {
    // nothing to clear
  }
}

/** True when the page should send the user to the dev login instead of loading (H5 without a session). */
export function needsDevLogin(): boolean {
  return process.env.TARO_ENV === 'h5' && !readDevSession()
}

let redirecting = false

/** reLaunch to the dev login page once, however many calls notice the missing session. */
export function goToDevLogin(): void {
  if (process.env.TARO_ENV !== 'h5' || redirecting) return
  const current = Taro.getCurrentPages().slice(-1)[0]?.route ?? ''
  if (current.replace(/^\//, '') === routeUrl('devLogin').slice(1)) return
  redirecting = true
  // fire-and-forget on purpose: callers notice the missing session synchronously and do not wait for the page change; the flag resets either way
  void Taro.reLaunch({ url: routeUrl('devLogin') }).finally(() => {
    redirecting = false
  })
}
