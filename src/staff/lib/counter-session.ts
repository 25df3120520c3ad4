/**
 * The member at the counter survives a reload of the counter page while the counter token lives
 * (10 minutes from the scan): the token and its end are kept in local storage, and the page asks
 * the server for the member again (staff.resumeCounter) instead of a new code from the member.
 */
import Taro from '@tarojs/taro'
import { serverNow } from '../../lib/server-clock'

const STORAGE_KEY = 'counterSession'

interface Stored {
  counterToken: string
  expiresAt: string
}

export function keepCounterSession(counterToken: string, expiresAt: string): void {
  try {
    Taro.setStorageSync(STORAGE_KEY, { counterToken, expiresAt } satisfies Stored)
  } catch {
    // storage unavailable: a reload asks for the code again
  }
}

/** The token of the member still at the counter, or null once it has ended (or none was kept). */
export function liveCounterToken(): string | null {
  try {
    const stored = Taro.getStorageSync(STORAGE_KEY) as Partial<Stored> | ''
    if (!stored || typeof stored.counterToken !== 'string' || typeof stored.expiresAt !== 'string') return null
    return Date.parse(stored.expiresAt) > serverNow() ? stored.counterToken : null
  } catch {
    return null
  }
}

export function endCounterSession(): void {
  try {
    Taro.removeStorageSync(STORAGE_KEY)
  } catch {
    // nothing kept
  }
}
