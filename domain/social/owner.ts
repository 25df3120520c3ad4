/**
 * Who owns a member (归属导购), for clerks' lists and follow-up tasks: the clerk of the joining
 * channel; else, when the brand chooses, the clerk who owned the inviter; else the clerks of the
 * member's usual store (where most of their recent counter visits were).
 */
export interface Ownership {
  /** fixed at joining: the channel's clerk, or the inviter's owner when the brand chooses so */
  ownerStaffId: string | null
}

export function ownerAtJoin(channelStaffId: string | null, inviterOwnerStaffId: string | null, ownerFromInviter: boolean): string | null {
  return channelStaffId ?? (ownerFromInviter ? inviterOwnerStaffId : null)
}

/** The store most of these visits were at (the latest such store on a tie), or null without visits. */
export function usualStore(visits: { storeId: string; at: Date | string }[]): string | null {
  const counts = new Map<string, { count: number; latest: number }>()
  for (const visit of visits) {
    const at = new Date(visit.at).getTime()
    const seen = counts.get(visit.storeId) ?? { count: 0, latest: 0 }
    counts.set(visit.storeId, { count: seen.count + 1, latest: Math.max(seen.latest, at) })
  }
  let best: string | null = null
  for (const [storeId, seen] of counts) {
    const current = best === null ? null : counts.get(best)!
    if (!current || seen.count > current.count || (seen.count === current.count && seen.latest > current.latest)) best = storeId
  }
  return best
}
