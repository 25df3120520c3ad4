import type { Tier } from '../shared/config'

/** The highest tier whose threshold the growth value has reached. Tiers are sorted by rank. */
export function tierForGrowth(growth: number, tiers: Tier[]): Tier {
  let current = tiers[0]
  for (const tier of tiers) if (growth >= tier.growthThreshold) current = tier
  return current
}

/** Upgrades happen at once when growth reaches a higher tier; downgrades only at the yearly review. */
export function upgradeFor(currentTierId: string, growth: number, tiers: Tier[]): Tier | null {
  const current = tiers.find((tier) => tier._id === currentTierId)
  const earned = tierForGrowth(growth, tiers)
  return !current || earned.rank > current.rank ? earned : null
}
