/**
 * The purchases this device recorded today, so a clerk can refund one after moving on to the
 * next customer (退款 from a recent list). Kept in local storage; the server stays the record.
 */
import Taro from '@tarojs/taro'
import type { PurchaseReceipt } from '@domain/contract'
import { shanghaiDay } from '../../lib/format'

export interface RecentPurchase {
  receipt: PurchaseReceipt
  refunded: boolean
}

const STORAGE_KEY = 'counterRecentPurchases'
const KEEP = 20

function isToday(item: RecentPurchase): boolean {
  return shanghaiDay(Date.parse(item.receipt.createdAt)) === shanghaiDay()
}

export function readRecentPurchases(): RecentPurchase[] {
  try {
    const stored: unknown = Taro.getStorageSync(STORAGE_KEY)
    if (!Array.isArray(stored)) return []
    return (stored as RecentPurchase[]).filter((item) => item && item.receipt && typeof item.receipt.purchaseId === 'string' && isToday(item))
  } catch {
    return []
  }
}

function write(items: RecentPurchase[]): RecentPurchase[] {
  const kept = items.filter(isToday).slice(0, KEEP)
  try {
    Taro.setStorageSync(STORAGE_KEY, kept)
  } catch {
    // storage full or unavailable: the list is a convenience only
  }
  return kept
}

export function rememberPurchase(receipt: PurchaseReceipt): RecentPurchase[] {
  const others = readRecentPurchases().filter((item) => item.receipt.purchaseId !== receipt.purchaseId)
  return write([{ receipt, refunded: false }, ...others])
}

export function markRefunded(purchaseId: string): RecentPurchase[] {
  return write(readRecentPurchases().map((item) => (item.receipt.purchaseId === purchaseId ? { ...item, refunded: true } : item)))
}
