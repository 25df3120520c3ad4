import type { PointRules, Tier } from '../shared/config'
import type { TierGuideView } from '../contract/views'

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

/**
 * The tier page's guide: each tier's benefits in rank order, and only the ways of earning growth
 * that give some (purchase growth is per yuan).
 */
export function tierGuide(tiers: Tier[], rules: PointRules): TierGuideView {
  const ways: TierGuideView['growthWays'] = [
    { way: 'purchase', growth: rules.purchase.growthPerYuan },
    { way: 'join', growth: rules.join.growth },
    { way: 'checkin', growth: rules.checkin.growth },
  ]
  return {
    tiers: [...tiers]
      .sort((a, b) => a.rank - b.rank)
      .map((tier) => ({
        id: tier._id,
        name: tier.name,
        growthThreshold: tier.growthThreshold,
        discountPercent: tier.discountPercent,
        pointsMultiplier: tier.pointsMultiplier,
        birthdayGiftPoints: tier.birthdayGiftPoints,
      })),
    growthWays: ways.filter((way) => way.growth > 0),
  }
}
