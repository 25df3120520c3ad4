/**
 * Query semantics come from mingo (MongoDB query language for JS objects); this file adds
 * the query planner (equality on indexed fields / `_id` → candidate ids) and the
 * sort / skip / limit / projection step shared by reads.
 */
import path from 'node:path'
import { Aggregator, Query } from 'mingo'
import { initOptions, ProcessingMode, type Options } from 'mingo/core'
import createFullContext from 'mingo/init/context'
import { EmulatorError } from '../errors'
import { Collection, idKeyOf } from './collection'
import { isPlainObject, valueKey, type Doc } from './ejson'
import { boundsOf } from './sorted-index'

/** mingo's default entry loads only basic operators; the full context has all of them. */
export const mingoContext = createFullContext()

/** Options prepared once (initOptions copies the whole context, ~130 µs, on every call). */
const preparedOptions: Options = initOptions({ context: mingoContext, useStrictMode: true })

interface CompiledQuery {
  test(doc: Doc): boolean
  find(docs: Doc[], projection?: Doc): { sort(order: Doc): unknown; skip(n: number): unknown; limit(n: number): unknown; all(): Doc[] }
}
type QueryClass = new (condition: Doc, options: Options) => CompiledQuery

/**
 * mingo's public `Query` re-registers its operators into the context on every construction
 * (~130 µs with the full context), which would dominate every request. `QueryImpl` is the class
 * mingo itself uses for nested queries ($and, $elemMatch, …): same compile and test, given
 * ready options. Fall back to the public class if a mingo upgrade moves it.
 */
const QueryImpl: QueryClass = (() => {
  try {
    const internal = require(path.join(path.dirname(require.resolve('mingo')), 'query', '_internal.js')) as { QueryImpl?: QueryClass }
    if (typeof internal.QueryImpl === 'function') return internal.QueryImpl
  } catch {
    // fall through
  }
  return class extends Query {
    constructor(condition: Doc, options: Options) {
      super(condition, options)
    }
  } as unknown as QueryClass
})()

function newQuery(condition: Doc): CompiledQuery {
  return new QueryImpl(condition, preparedOptions)
}

/** A compiled filter. Throws DATABASE_REQUEST_FAILED for operators mingo rejects. */
export function compileQuery(query: Doc): (doc: Doc) => boolean {
  if (Object.keys(query).length === 0) return () => true
  try {
    const compiled = newQuery(query)
    return (doc) => compiled.test(doc)
  } catch (error) {
    throw new EmulatorError('DATABASE_REQUEST_FAILED', `invalid query: ${(error as Error).message}`)
  }
}

/** Index keys for an equality condition `{f: v}` / `{f: {$eq: v}}` / `{f: {$in: [...]}}`, or undefined. */
function equalityKeys(condition: unknown): string[] | undefined {
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition)
    if (keys.length === 0 || !keys.every((key) => key.startsWith('$'))) return undefined // embedded-document equality
    if ('$eq' in condition) return equalityKeys(condition.$eq)
    if (Array.isArray(condition.$in)) {
      const out: string[] = []
      for (const item of condition.$in) {
        const key = valueKey(item)
        if (key === undefined) return undefined // null, regex, objects: scan
        out.push(key)
      }
      return out
    }
    return undefined
  }
  const key = valueKey(condition)
  return key === undefined ? undefined : [key]
}

/**
 * Candidate id keys for `query` from the `_id` map and the field indexes, or undefined when
 * no index applies (scan). Candidates are a superset of the matches; callers still filter.
 */
export function planCandidates(collection: Collection, query: Doc): Set<string> | undefined {
  let candidates: Set<string> | undefined
  const narrow = (ids: Set<string>) => {
    if (!candidates) candidates = ids
    else candidates = new Set([...candidates].filter((id) => ids.has(id)))
  }
  const visit = (clause: Doc) => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const member of condition) if (isPlainObject(member)) visit(member)
        continue
      }
      if (field.startsWith('$')) continue
      const keys = equalityKeys(condition)
      if (!keys) continue
      if (field === '_id') {
        const ids = new Set<string>()
        const values = isPlainObject(condition) ? ('$eq' in condition ? [condition.$eq] : (condition.$in as unknown[])) : [condition]
        for (const value of values) {
          const idKey = idKeyOf(value)
          if (collection.docs.has(idKey)) ids.add(idKey)
        }
        narrow(ids)
      } else if (collection.isIndexed(field)) {
        narrow(collection.lookup(field, keys))
      }
    }
  }
  visit(query)
  return candidates
}

/** Committed documents of `collection` matching `query`, in natural (insertion) order. */
export function matchCommitted(collection: Collection | undefined, query: Doc): Doc[] {
  if (!collection) return []
  const test = compileQuery(query)
  const candidates = planCandidates(collection, query)
  const out: Doc[] = []
  if (candidates) {
    for (const idKey of candidates) {
      const doc = collection.get(idKey)
      if (doc && test(doc)) out.push(doc)
    }
    if (candidates.size > 1) sortByNaturalOrder(collection, out)
  } else {
    for (const doc of collection.docs.values()) if (test(doc)) out.push(doc)
  }
  return out
}

/** Index lookups return ids in index order; reads keep insertion order like a scan would. */
function sortByNaturalOrder(collection: Collection, docs: Doc[]): void {
  const keyed = docs.map((doc) => ({ doc, at: collection.position(idKeyOf(doc._id)) }))
  keyed.sort((a, b) => a.at - b.at)
  keyed.forEach((entry, i) => (docs[i] = entry.doc))
}

export interface PageOptions {
  order?: Doc
  offset: number
  limit?: number
  projection?: Doc
}

/** Applies order, offset, limit and projection (mingo's cursor does them in that order). */
export function page(docs: Doc[], options: PageOptions): Doc[] {
  const { order, offset, limit, projection } = options
  const hasOrder = order && Object.keys(order).length > 0
  const hasProjection = projection && Object.keys(projection).length > 0
  if (!hasOrder && !hasProjection) return docs.slice(offset, limit === undefined ? undefined : offset + limit)
  try {
    const cursor = newQuery({}).find(docs, hasProjection ? projection : undefined)
    if (hasOrder) cursor.sort(order)
    if (offset) cursor.skip(offset)
    if (limit !== undefined) cursor.limit(limit)
    return cursor.all()
  } catch (error) {
    throw new EmulatorError('DATABASE_REQUEST_FAILED', `invalid order or projection: ${(error as Error).message}`)
  }
}

/** Runs an aggregation pipeline; `resolve` gives other collections to `$lookup`. */
export function aggregate(docs: Doc[], pipeline: Doc[], resolve: (name: string) => Doc[]): Doc[] {
  try {
    const aggregator = new Aggregator(pipeline, {
      context: mingoContext,
      // The input documents are the stored ones: let mingo work on copies.
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: resolve,
    })
    return aggregator.run(docs) as Doc[]
  } catch (error) {
    throw new EmulatorError('DATABASE_REQUEST_FAILED', `aggregate failed: ${(error as Error).message}`)
  }
}

/** Below this many candidates from an equality index, matching them and sorting is cheaper than a walk. */
const FEW_CANDIDATES = 2000

function conditionOn(query: Doc, field: string): unknown {
  if (field in query) return query[field]
  const and = query.$and
  if (Array.isArray(and)) for (const member of and) if (isPlainObject(member) && field in member) return member[field]
  return undefined
}

/**
 * A page of a query ordered by one field that has a sorted index (`_id` or a declared field):
 * walks the index from the query's bound on that field and stops at the page's end. Undefined
 * when the query does not fit (no limit, several order keys, an unservable field, or an equality
 * index that already narrows it to a few documents).
 */
export function pageFromSortedIndex(collection: Collection | undefined, query: Doc, options: PageOptions): Doc[] | undefined {
  const { order, offset, limit, projection } = options
  if (!collection || limit === undefined || !order) return undefined
  const fields = Object.keys(order)
  if (fields.length !== 1) return undefined
  const index = collection.sortedIndex(fields[0])
  if (!index) return undefined
  const candidates = planCandidates(collection, query)
  if (candidates && candidates.size <= FEW_CANDIDATES) return undefined
  const test = compileQuery(query)
  const out: Doc[] = []
  let skipped = 0
  for (const idKey of index.walk(order[fields[0]] === -1 ? -1 : 1, boundsOf(conditionOn(query, fields[0])))) {
    const doc = collection.get(idKey)
    if (!doc || !test(doc)) continue
    if (skipped < offset) {
      skipped++
      continue
    }
    out.push(doc)
    if (out.length >= limit) break
  }
  return projection && Object.keys(projection).length > 0 ? page(out, { offset: 0, projection }) : out
}
