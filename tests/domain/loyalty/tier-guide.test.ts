import { pointRulesSchema, tierSchema } from '../../../domain/shared/config'
import { tierGuide } from '../../../domain/loyalty'

const rules = pointRulesSchema.parse({
  _id: 'pointRules',
  join: { points: 100, growth: 0 },
  checkin: { points: 10, growth: 1 },
  purchase: { pointsPerYuan: 1, growthPerYuan: 2 },
})
const tiers = [
  tierSchema.parse({ _id: 'gold', name: '金卡会员', rank: 2, growthThreshold: 1000, discountPercent: 95, pointsMultiplier: 1.2, birthdayGiftPoints: 200 }),
  tierSchema.parse({ _id: 'silver', name: '银卡会员', rank: 1, growthThreshold: 0, discountPercent: 100, pointsMultiplier: 1 }),
]

test('the tiers in rank order with their benefits; only the ways of earning that give growth', () => {
  const guide = tierGuide(tiers, rules)
  expect(guide.tiers).toEqual([
    { id: 'silver', name: '银卡会员', growthThreshold: 0, discountPercent: 100, pointsMultiplier: 1, birthdayGiftPoints: 0 },
    { id: 'gold', name: '金卡会员', growthThreshold: 1000, discountPercent: 95, pointsMultiplier: 1.2, birthdayGiftPoints: 200 },
  ])
  expect(guide.growthWays).toEqual([
    { way: 'purchase', growth: 2 },
    { way: 'checkin', growth: 1 },
  ])
})
