/**
 * A sorted index of one field (or `_id`): the documents ordered by the field's value, then by
 * insertion, so a query ordered by that field with a range on it (`_id > after` ordered by `_id`,
 * `due <= now` ordered by `due`) walks from the range's start and stops once it has its page,
 * instead of matching and sorting the whole collection. Values compare in Mongo's order of types
 * (null < numbers < strings < booleans < dates) and, within a type, by value; a field that holds
 * arrays or objects in some document is not served from here (the scan handles it).
 */
import { valuesAt } from './paths'
import type { Doc } from './ejson'

type Sortable = null | number | string | boolean | Date

function typeRank(value: Sortable): number {
  if (value === null) return 1
  if (typeof value === 'number') return 2
  if (typeof value === 'string') return 3
  if (typeof value === 'boolean') return 8
  return 9
}

function isSortable(value: unknown): value is Sortable {
  return value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value instanceof Date
}

export function compareValues(a: Sortable, b: Sortable): number {
  const byType = typeRank(a) - typeRank(b)
  if (byType !== 0) return byType
  const x = a instanceof Date ? a.getTime() : a
  const y = b instanceof Date ? b.getTime() : b
  if (x === y || (x === null && y === null)) return 0
  return (x as number | string | boolean) < (y as number | string | boolean) ? -1 : 1
}

export interface Bound {
  value: Sortable
  inclusive: boolean
}

export interface Bounds {
  lower?: Bound
  upper?: Bound
  /** only values of this type rank */
  rank?: number
}

interface Entry {
  value: Sortable
  position: number
  idKey: string
}

export class SortedIndex {
  private readonly entries: Entry[] = []
  private readonly path: string[]
  /** false once some document holds several values, an array or an object here */
  servable = true
  /**
   * Built on first use (one sort of the collection, see Collection.sortedIndex) and kept exact
   * from then on: loading a large data directory pays nothing for indexes never walked.
   */
  built = false

  constructor(readonly field: string) {
    this.path = field.split('.')
  }

  private valueOf(doc: Doc): Sortable | undefined {
    if (this.field === '_id') return isSortable(doc._id) ? doc._id : undefined
    const values = valuesAt(doc, this.path)
    if (values.length === 0) return null
    if (values.length > 1 || !isSortable(values[0])) return undefined
    return values[0]
  }

  private compare(a: Entry, b: Entry): number {
    return compareValues(a.value, b.value) || a.position - b.position
  }

  /** The first index whose entry is not before `probe`. */
  private lowerBound(probe: (entry: Entry) => number): number {
    let low = 0
    let high = this.entries.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (probe(this.entries[middle]) < 0) low = middle + 1
      else high = middle
    }
    return low
  }

  /** Builds the index from every document at once. */
  build(documents: Iterable<[string, Doc, number]>): void {
    this.entries.length = 0
    for (const [idKey, doc, position] of documents) {
      const value = this.valueOf(doc)
      if (value === undefined) this.servable = false
      else this.entries.push({ value, position, idKey })
    }
    this.entries.sort((a, b) => this.compare(a, b))
    this.built = true
  }

  add(idKey: string, doc: Doc, position: number): void {
    if (!this.built) return
    const value = this.valueOf(doc)
    if (value === undefined) {
      this.servable = false
      return
    }
    const entry = { value, position, idKey }
    this.entries.splice(
      this.lowerBound((other) => this.compare(other, entry)),
      0,
      entry,
    )
  }

  remove(idKey: string, doc: Doc, position: number): void {
    if (!this.built) return
    const value = this.valueOf(doc)
    if (value === undefined) return
    const probe = { value, position, idKey }
    const at = this.lowerBound((other) => this.compare(other, probe))
    if (this.entries[at]?.idKey === idKey) this.entries.splice(at, 1)
  }

  /**
   * Id keys in the field's order (`direction` 1 or -1) within the bounds; with `rank`, only values
   * of that type (a range operator matches only values of its operand's type).
   */
  *walk(direction: 1 | -1, { lower, upper, rank }: Bounds = {}): Generator<string> {
    const below = (entry: Entry) =>
      (rank !== undefined && typeRank(entry.value) < rank) ||
      (lower !== undefined && (compareValues(entry.value, lower.value) < 0 || (!lower.inclusive && compareValues(entry.value, lower.value) === 0)))
    const above = (entry: Entry) =>
      (rank !== undefined && typeRank(entry.value) > rank) ||
      (upper !== undefined && (compareValues(entry.value, upper.value) > 0 || (!upper.inclusive && compareValues(entry.value, upper.value) === 0)))
    if (direction === 1) {
      let at = this.lowerBound((entry) => (below(entry) ? -1 : 1))
      for (; at < this.entries.length; at++) {
        const entry = this.entries[at]
        if (above(entry)) return
        yield entry.idKey
      }
    } else {
      let at = this.lowerBound((entry) => (above(entry) ? 1 : -1)) - 1
      for (; at >= 0; at--) {
        const entry = this.entries[at]
        if (below(entry)) return
        yield entry.idKey
      }
    }
  }
}

/** The bounds a query puts on a field ($eq, $gt, $gte, $lt, $lte, a plain value), where it can tell. */
export function boundsOf(condition: unknown): Bounds {
  if (condition === null) return {}
  if (isSortable(condition)) return { lower: { value: condition, inclusive: true }, upper: { value: condition, inclusive: true } }
  if (typeof condition !== 'object' || Array.isArray(condition)) return {}
  const operators = condition as Record<string, unknown>
  if (operators.$eq !== undefined) return boundsOf(operators.$eq)
  const out: Bounds = {}
  const range = (operator: string) => (isSortable(operators[operator]) && operators[operator] !== null ? (operators[operator] as Sortable) : undefined)
  for (const [operator, side, inclusive] of [
    ['$gt', 'lower', false],
    ['$gte', 'lower', true],
    ['$lt', 'upper', false],
    ['$lte', 'upper', true],
  ] as const) {
    const value = range(operator)
    if (value === undefined) continue
    out[side] = { value, inclusive }
    out.rank = typeRank(value)
  }
  return out
}
