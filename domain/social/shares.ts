/**
 * Shares (分享): what a member shares (a target: the invite card, a product, a flash sale, a group,
 * a friend coupon; later articles, events and surveys) under a short code the server makes per
 * (sharer, target), always the same one. The code travels in the share path (`?s=<code>`) and in a
 * poster's mini-program code (`scene` = `s.<code>`); who opens it is what the server can see, never
 * the share itself (WeChat gives the sharer's side no callback).
 */
import type { ShareTarget } from '../contract'

/** A share as stored in `shares`, `_id` its code. */
export interface ShareRecord {
  _id: string
  sharerId: string
  /** the sharer's nickname when the share was made (what friends see: 「…」邀请你) */
  sharerNickname: string
  target: ShareTarget
  targetKey: string
  createdAt: Date
}

export function targetKey(target: ShareTarget): string {
  return target.id === undefined ? target.type : `${target.type}:${target.id}`
}
