import type { Tier } from '../shared/config'
import type { TierView } from '../contract'

/** The highest tier whose threshold the growth value has reached. Tiers are sorted by rank. */
export function tierForGrowth(growth: number, tiers: Tier[]): Tier {
  let current = tiers[0]
  for (const tier of tiers) if (growth >= tier.growthThreshold) current = tier
  return current
}

export function tierView(tierId: string, growth: number, tiers: Tier[]): TierView {
  const index = Math.max(
    0,
    tiers.findIndex((tier) => tier._id === tierId),
  )
  const tier = tiers[index]
  const next = tiers[index + 1]
  return {
    id: tier._id,
    name: tier.name,
    nextTierName: next ? next.name : null,
    growthToNext: next ? Math.max(0, next.growthThreshold - growth) : null,
  }
}

/** Upgrades happen at once when growth reaches a higher tier; downgrades only at the yearly review. */
export function upgradeFor(currentTierId: string, growth: number, tiers: Tier[]): Tier | null {
  const current = tiers.find((tier) => tier._id === currentTierId)
  const earned = tierForGrowth(growth, tiers)
  return !current || earned.rank > current.rank ? earned : null
}
