import fc from 'fast-check'
import {
  amountToExpire,
  applyToLots,
  cutoffInstant,
  expireEntryId,
  expiringAt,
  latestCutoffYear,
  lotExpiresAt,
  replayLots,
  startOfYear,
  totalOfLots,
  type LotEntry,
  type LotState,
} from '../../../domain/loyalty/expiry'
import { applyEntry, type Balances } from '../../../domain/loyalty/ledger'
import { businessDay } from '../../../domain/shared/time'

let sequence = 0
function entry(points: number, at: string, extra: Partial<LotEntry> = {}): LotEntry {
  const createdAt = new Date(at)
  return { _id: `e${String(++sequence).padStart(6, '0')}`, points, createdAt, businessDay: businessDay(createdAt), ...extra }
}

describe('expiry instants (Asia/Shanghai)', () => {
  test('points earned in 2024 expire at the end of 2025: 2026-01-01T00:00+08:00', () => {
    expect(lotExpiresAt(2024).toISOString()).toBe('2025-12-31T16:00:00.000Z')
    expect(startOfYear(2026).toISOString()).toBe('2025-12-31T16:00:00.000Z')
    expect(cutoffInstant(2025).toISOString()).toBe('2025-12-31T16:00:00.000Z')
  })

  test('the most recent year end passed is taken in Shanghai time, not UTC', () => {
    // 2025-12-31T16:30Z is already 2026-01-01 00:30 in Shanghai: the end of 2025 has passed.
    expect(latestCutoffYear(new Date('2025-12-31T16:30:00Z'))).toBe(2025)
    expect(latestCutoffYear(new Date('2025-12-31T15:59:59Z'))).toBe(2024)
  })

  test('the lot year is the Shanghai year: 23:30 on Dec 31 is that year, 00:30 on Jan 1 (still Dec 31 in UTC) the next', () => {
    const late = replayLots([entry(10, '2024-12-31T15:30:00Z'), entry(20, '2024-12-31T16:30:00Z')])
    expect(late.lots).toEqual({ 2024: 10, 2025: 20 })
  })

  test('expire entry ids are one per member and cutoff year', () => {
    expect(expireEntryId('m_1', 2025)).toBe('expire:m_1:2025')
  })
})

describe('lots (FIFO replay)', () => {
  test('a member with lots in 2024 and 2025 and spends: spends take the 2024 lot first; the end of 2025 expires what is left of it', () => {
    const entries = [
      entry(500, '2024-03-01T02:00:00Z'),
      entry(-200, '2024-06-01T02:00:00Z'),
      entry(300, '2025-05-01T02:00:00Z'),
      entry(-100, '2025-08-01T02:00:00Z'),
      entry(100, '2026-02-01T02:00:00Z'),
    ]
    const state = replayLots(entries)
    expect(state).toEqual({ lots: { 2024: 200, 2025: 300, 2026: 100 }, owed: 0 })
    expect(amountToExpire(state, 2025)).toBe(200)
    const after = replayLots([...entries, entry(-200, '2026-03-01T02:00:00Z', { _id: expireEntryId('m', 2025) })])
    expect(after.lots).toEqual({ 2025: 300, 2026: 100 })
    expect(amountToExpire(after, 2025)).toBe(0)
    expect(expiringAt(after, new Date('2026-06-01T00:00:00Z'))).toEqual({ points: 300, at: '2026-12-31T16:00:00.000Z' })
  })

  test('a member who spent everything has nothing to expire', () => {
    const state = replayLots([entry(100, '2024-03-01T02:00:00Z'), entry(-100, '2025-03-01T02:00:00Z')])
    expect(amountToExpire(state, 2025)).toBe(0)
    expect(expiringAt(state, new Date('2026-06-01T00:00:00Z'))).toBeNull()
  })

  test('a clawback that names its lot year takes from that lot, not the oldest', () => {
    const state = replayLots([entry(100, '2024-03-01T02:00:00Z'), entry(50, '2025-03-01T02:00:00Z'), entry(-30, '2025-04-01T02:00:00Z', { lotYear: 2025 })])
    expect(state.lots).toEqual({ 2024: 100, 2025: 20 })
  })

  test('a clawback larger than its lot takes the rest oldest first, then becomes owed; later earnings repay it first', () => {
    let state = replayLots([entry(10, '2024-03-01T02:00:00Z'), entry(20, '2025-03-01T02:00:00Z'), entry(-50, '2025-04-01T02:00:00Z', { lotYear: 2025 })])
    expect(state).toEqual({ lots: {}, owed: 20 })
    state = applyToLots(state, entry(30, '2025-05-01T02:00:00Z'))
    expect(state).toEqual({ lots: { 2025: 10 }, owed: 0 })
  })

  test('the policy never: nothing is ever shown as expiring', () => {
    const state = replayLots([entry(100, '2024-03-01T02:00:00Z')])
    expect(expiringAt(state, new Date('2025-06-01T00:00:00Z'), 'never')).toBeNull()
  })

  test('entries are replayed in ledger order whatever order they are read in', () => {
    const entries = [entry(100, '2024-03-01T02:00:00Z'), entry(-60, '2025-01-05T02:00:00Z'), entry(40, '2025-02-01T02:00:00Z')]
    expect(replayLots([...entries].reverse())).toEqual(replayLots(entries))
  })
})

// ------------------------------------------------------------------------------------------------
// Properties: a random history of earnings, spends, clawbacks and yearly expiry runs.

type Step =
  { kind: 'earn'; points: number } | { kind: 'spend'; share: number } | { kind: 'clawback'; points: number; lotBack: number } | { kind: 'wait'; days: number } | { kind: 'expiryRun'; times: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant('spend' as const), share: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('clawback' as const), points: fc.integer({ min: 1, max: 300 }), lotBack: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('expiryRun' as const), times: fc.integer({ min: 1, max: 3 }) }),
)

interface Simulation {
  entries: LotEntry[]
  balances: Balances
  expiredAt: { cutoffYear: number; amount: number; before: number }[]
}

/** Runs the steps as the system would: entries through applyEntry (the member doc), expiry as the job computes it. */
function simulate(steps: Step[]): Simulation {
  let time = Date.parse('2023-01-10T02:00:00Z')
  const entries: LotEntry[] = []
  let balances: Balances = { points: 0, pointsOwed: 0, balance: 0, growth: 0 }
  const expiredAt: Simulation['expiredAt'] = []
  const post = (points: number, extra: Partial<LotEntry> & { allowOwing?: boolean } = {}) => {
    time += 60_000
    const created = entry(points, new Date(time).toISOString(), extra)
    balances = applyEntry(balances, { points, balance: 0, growth: 0, allowOwing: extra.allowOwing })
    entries.push(created)
  }
  for (const s of steps) {
    if (s.kind === 'earn') post(s.points)
    else if (s.kind === 'spend') {
      const points = Math.floor(balances.points * s.share)
      if (points > 0) post(-points)
    } else if (s.kind === 'clawback') {
      const year = Number(businessDay(time).slice(0, 4)) - s.lotBack
      post(-s.points, { lotYear: year, allowOwing: true })
    } else if (s.kind === 'wait') time += s.days * 86_400_000
    else {
      const cutoffYear = latestCutoffYear(time)
      for (let i = 0; i < s.times; i++) {
        const amount = Math.min(amountToExpire(replayLots(entries), cutoffYear), balances.points)
        expiredAt.push({ cutoffYear, amount, before: balances.points })
        if (amount > 0) post(-amount, { _id: expireEntryId('m', cutoffYear) + `:${entries.length}` })
      }
    }
  }
  return { entries, balances, expiredAt }
}

const lotsNonNegative = (state: LotState) => Object.values(state.lots).every((points) => points > 0)

describe('expiry properties (fast-check)', () => {
  test('total = Σ lots: the lots always sum to the member’s spendable points, and owed matches', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { entries, balances } = simulate(steps)
        const state = replayLots(entries)
        expect(totalOfLots(state)).toBe(balances.points)
        expect(state.owed).toBe(balances.pointsOwed)
        expect(lotsNonNegative(state)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  test('an expiry never takes more than the member has, never a negative amount, and never leaves points negative', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { expiredAt, balances } = simulate(steps)
        for (const run of expiredAt) {
          expect(run.amount).toBeGreaterThanOrEqual(0)
          expect(run.amount).toBeLessThanOrEqual(run.before)
        }
        expect(balances.points).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 300 },
    )
  })

  test('running the expiry twice for one cutoff expires nothing more the second time, and no expired lot is left', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { expiredAt, entries } = simulate([...steps, { kind: 'expiryRun', times: 2 }])
        const [first, second] = expiredAt.slice(-2)
        expect(second.cutoffYear).toBe(first.cutoffYear)
        expect(second.amount).toBe(0)
        const state = replayLots(entries)
        expect(
          Object.keys(state.lots)
            .map(Number)
            .filter((year) => year <= first.cutoffYear - 1),
        ).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  test('FIFO: a plain spend leaves no older lot with points while it took from a newer one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ year: fc.integer({ min: 2020, max: 2026 }), points: fc.integer({ min: 1, max: 100 }) }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 600 }),
        (lots, spend) => {
          const start: LotState = { lots: {}, owed: 0 }
          for (const lot of lots) start.lots[lot.year] = (start.lots[lot.year] ?? 0) + lot.points
          const after = applyToLots(start, entry(-spend, '2026-06-01T02:00:00Z'))
          const touched = Object.keys(start.lots)
            .map(Number)
            .filter((year) => (after.lots[year] ?? 0) < start.lots[year])
          if (touched.length > 0) {
            const newest = Math.max(...touched)
            for (const year of Object.keys(after.lots).map(Number)) expect(year >= newest).toBe(true)
          }
          expect(totalOfLots(after)).toBe(Math.max(0, totalOfLots(start) - spend))
        },
      ),
      { numRuns: 300 },
    )
  })
})
