/**
 * Points expiry by lots (积分有效期). Points earned in calendar year Y (in the brand's time zone)
 * form the lot of year Y; under the policy `endOfNextYear` that lot expires at the end of Y+1,
 * i.e. at (Y+2)-01-01T00:00 local time (Asia/Shanghai: +08:00).
 *
 * The member document keeps only sums, so the lots are recomputed by replaying the member's
 * ledger in order: earnings add to their year's lot (after repaying points owed, as
 * `applyEntry` does), and spends, expiries and clawbacks take from the oldest lots first (FIFO);
 * a clawback that names `lotYear` takes from that year's lot first. Σ lots is always the
 * member's spendable points.
 */
import dayjs from 'dayjs'
import '../shared/time'
import { businessDay, DEFAULT_TIME_ZONE } from '../shared/time'

export type ExpiryPolicy = 'endOfNextYear' | 'never'

/** The fields of a ledger entry the replay needs. */
export interface LotEntry {
  _id: string
  points: number
  /** YYYY-MM-DD in the brand's time zone: its year is the lot an earning goes to */
  businessDay: string
  createdAt: Date | string | number
  /** for clawbacks (and restorations): the year whose lot the entry acts on */
  lotYear?: number
}

export interface LotState {
  /** remaining points per lot year; only years with points left */
  lots: Record<number, number>
  /** points owed (clawed back after they were spent) */
  owed: number
}

export function lotYearOf(entry: Pick<LotEntry, 'businessDay' | 'lotYear'>): number {
  return entry.lotYear ?? Number(entry.businessDay.slice(0, 4))
}

/** Ledger order: by createdAt, then id (entries posted in one call get distinct instants). */
export function inLedgerOrder<T extends Pick<LotEntry, '_id' | 'createdAt'>>(entries: T[]): T[] {
  return [...entries].sort((a, b) => {
    const byTime = new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime()
    return byTime !== 0 ? byTime : a._id < b._id ? -1 : a._id > b._id ? 1 : 0
  })
}

function take(lots: Record<number, number>, year: number, wanted: number): number {
  const available = lots[year] ?? 0
  const taken = Math.min(available, wanted)
  if (taken > 0) {
    if (available === taken) delete lots[year]
    else lots[year] = available - taken
  }
  return taken
}

/** Takes up to `wanted` points from the oldest lots first; returns how many it took. */
export function takeFifo(lots: Record<number, number>, wanted: number): number {
  let taken = 0
  for (const year of Object.keys(lots)
    .map(Number)
    .sort((a, b) => a - b)) {
    if (taken >= wanted) break
    taken += take(lots, year, wanted - taken)
  }
  return taken
}

/** Applies one entry to the lots, the same way `applyEntry` changes points and points owed. */
export function applyToLots(state: LotState, entry: LotEntry): LotState {
  const lots = { ...state.lots }
  let owed = state.owed
  if (entry.points > 0) {
    const repaid = Math.min(owed, entry.points)
    owed -= repaid
    const added = entry.points - repaid
    if (added > 0) {
      const year = lotYearOf(entry)
      lots[year] = (lots[year] ?? 0) + added
    }
  } else if (entry.points < 0) {
    const wanted = -entry.points
    let taken = entry.lotYear !== undefined ? take(lots, entry.lotYear, wanted) : 0
    taken += takeFifo(lots, wanted - taken)
    owed += wanted - taken
  }
  return { lots, owed }
}

/** The lots after replaying a member's entries (any order in; replayed in ledger order). */
export function replayLots(entries: LotEntry[]): LotState {
  return inLedgerOrder(entries).reduce<LotState>((state, entry) => applyToLots(state, entry), { lots: {}, owed: 0 })
}

export function totalOfLots(state: LotState): number {
  return Object.values(state.lots).reduce((sum, points) => sum + points, 0)
}

/** The first instant of a calendar year in the time zone. */
export function startOfYear(year: number, timeZone: string = DEFAULT_TIME_ZONE): Date {
  return dayjs.tz(`${year}-01-01 00:00:00`, timeZone).toDate()
}

export function yearOf(instant: Date | number, timeZone: string = DEFAULT_TIME_ZONE): number {
  return Number(businessDay(instant, timeZone).slice(0, 4))
}

/** When the lot of a year expires: the end of the next year. */
export function lotExpiresAt(lotYear: number, timeZone: string = DEFAULT_TIME_ZONE): Date {
  return startOfYear(lotYear + 2, timeZone)
}

/**
 * The expiry run for the most recent year end before `asOf`: its year (the cutoff year).
 * At the end of cutoff year C, the lots of years ≤ C − 1 expire.
 */
export function latestCutoffYear(asOf: Date | number, timeZone: string = DEFAULT_TIME_ZONE): number {
  return yearOf(asOf, timeZone) - 1
}

/** The instant at which the cutoff year ends. */
export function cutoffInstant(cutoffYear: number, timeZone: string = DEFAULT_TIME_ZONE): Date {
  return startOfYear(cutoffYear + 1, timeZone)
}

/** Points to expire at the end of the cutoff year: what is left of the lots of years ≤ cutoff − 1. */
export function amountToExpire(state: LotState, cutoffYear: number): number {
  return Object.entries(state.lots)
    .filter(([year]) => Number(year) <= cutoffYear - 1)
    .reduce((sum, [, points]) => sum + points, 0)
}

/**
 * Points that expire at the next expiry instant after `asOf` (the end of asOf's year): the
 * lots of years up to last year, including any an expiry run has not reached yet.
 */
export function expiringAt(state: LotState, asOf: Date | number, policy: ExpiryPolicy = 'endOfNextYear', timeZone: string = DEFAULT_TIME_ZONE): { points: number; at: string } | null {
  if (policy === 'never') return null
  const year = yearOf(asOf, timeZone)
  const points = amountToExpire(state, year)
  return points > 0 ? { points, at: cutoffInstant(year, timeZone).toISOString() } : null
}

/** One expiry entry per member and cutoff year: running the job again collides on the id. */
export function expireEntryId(memberId: string, cutoffYear: number): string {
  return `expire:${memberId}:${cutoffYear}`
}

export function expireDescription(cutoffYear: number): string {
  return `积分到期清零（${cutoffYear - 1}年及以前获得的积分）`
}
