import { ConfigError, parseConfigDocument, parseTiers, pointRulesSchema, retiredKeysIn } from '../../../domain/shared/config'
import { tierForGrowth } from '../../../domain/loyalty/tiers'
import { tierView } from '../../../domain/membership/member'

const goodRules = {
  _id: 'pointRules',
  join: { points: 100 },
  checkin: { points: 10, streakBonus: { everyDays: 7, points: 30 } },
  purchase: { pointsPerYuan: 1 },
}
const tiers = [
  { _id: 'gold', name: '金卡会员', rank: 2, growthThreshold: 1000, discountPercent: 95, pointsMultiplier: 1.2 },
  { _id: 'silver', name: '银卡会员', rank: 1, growthThreshold: 0, discountPercent: 100, pointsMultiplier: 1 },
  { _id: 'diamond', name: '钻石会员', rank: 3, growthThreshold: 5000, discountPercent: 90, pointsMultiplier: 1.5 },
]

function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('point rules configuration', () => {
  test('a good document parses, with defaults for growth, store rates and the expiry policy', () => {
    const rules = parseConfigDocument(pointRulesSchema, 'config', goodRules)
    expect(rules.checkin.points).toBe(10)
    expect(rules.join.growth).toBe(0)
    expect(rules.purchase).toEqual({ pointsPerYuan: 1, storeRates: {}, growthPerYuan: 1 })
    expect(rules.expiry).toEqual({ policy: 'endOfNextYear' })
  })

  test('a bad document names the collection, the document and every bad field', () => {
    const error = configError(() => parseConfigDocument(pointRulesSchema, 'config', { ...goodRules, checkin: { points: -5 }, join: { points: 1.5 } }))
    expect(error.message).toMatch(/^bad config document config\/pointRules: /)
    expect(error.issues.map((issue) => issue.field).sort()).toEqual(['checkin.points', 'join.points'])
    expect(error.message).toContain('checkin.points: must not be negative')
    expect(error.message).toContain('join.points: must be a whole number of points')
  })

  test('a missing rule section is reported by name', () => {
    const { checkin: _checkin, ...withoutCheckin } = goodRules
    const error = configError(() => parseConfigDocument(pointRulesSchema, 'config', withoutCheckin))
    expect(error.issues).toEqual([{ field: 'checkin', message: 'Required' }])
  })

  test('the retired behaviour points still load (ignored) and are named with their fix', () => {
    const old = { ...goodRules, behaviours: { share: { points: 5, growth: 1, dailyCap: 3 } } }
    expect(parseConfigDocument(pointRulesSchema, 'config', old).checkin.points).toBe(10)
    const [retired, ...more] = retiredKeysIn('config', old)
    expect(more).toEqual([])
    expect(retired.field).toBe('behaviours')
    expect(retired.fix).toMatch(/^retired: .*remove `behaviours`/)
    expect(retiredKeysIn('config', goodRules)).toEqual([])
    expect(retiredKeysIn('tiers', old)).toEqual([])
  })

  test('an unknown key inside a rule is refused so typos do not pass silently', () => {
    const error = configError(() => parseConfigDocument(pointRulesSchema, 'config', { ...goodRules, checkin: { point: 10 } }))
    expect(error.issues.map((issue) => issue.field)).toContain('checkin')
  })
})

describe('tiers configuration', () => {
  test('tiers are sorted by rank and pick the highest threshold reached', () => {
    const parsed = parseTiers(tiers)
    expect(parsed.map((tier) => tier._id)).toEqual(['silver', 'gold', 'diamond'])
    expect(tierForGrowth(0, parsed)._id).toBe('silver')
    expect(tierForGrowth(999, parsed)._id).toBe('silver')
    expect(tierForGrowth(1000, parsed)._id).toBe('gold')
    expect(tierForGrowth(80_000, parsed)._id).toBe('diamond')
  })

  test('the view shows the growth still needed for the next tier, none at the top', () => {
    const parsed = parseTiers(tiers)
    expect(tierView('gold', 1680, parsed)).toEqual({ id: 'gold', name: '金卡会员', nextTierName: '钻石会员', growthToNext: 3320 })
    expect(tierView('diamond', 6000, parsed)).toEqual({ id: 'diamond', name: '钻石会员', nextTierName: null, growthToNext: null })
  })

  test('thresholds that do not rise with rank are refused, naming the tier', () => {
    const error = configError(() => parseTiers([tiers[1], { ...tiers[0], growthThreshold: 0 }]))
    expect(error.documentId).toBe('gold')
    expect(error.issues[0].field).toBe('growthThreshold')
  })

  test('the lowest tier must start at zero and there must be one', () => {
    expect(configError(() => parseTiers([{ ...tiers[1], growthThreshold: 10 }])).documentId).toBe('silver')
    expect(configError(() => parseTiers([])).issues[0].message).toBe('at least one tier is required')
  })

  test('a bad tier document names its id and field', () => {
    const error = configError(() => parseTiers([{ ...tiers[1], discountPercent: 120 }]))
    expect(error.message).toMatch(/tiers\/silver: discountPercent/)
  })
})
