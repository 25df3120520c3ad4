/**
 * One collection in memory: documents by id, a version per id (kept after a delete, so a
 * transaction notices a delete + re-insert), one equality index per declared field, and a sorted
 * index of `_id` and of each declared field (sorted-index.ts) for range and order queries.
 *
 * Stored documents are never mutated in place: every write puts a new object. Readers may
 * therefore hand out references to stored documents as long as they do not modify them.
 */
import { EJSON } from 'bson'
import { valueKey, type Doc } from './ejson'
import { valuesAt } from './paths'
import { SortedIndex } from './sorted-index'

/** Key of a document id in the primary map (and in lock/version tables). */
export function idKeyOf(id: unknown): string {
  return valueKey(id) ?? `j:${EJSON.stringify({ v: id } as Doc, { relaxed: false })}`
}

class FieldIndex {
  readonly entries = new Map<string, Set<string>>()
  readonly path: string[]

  constructor(readonly field: string) {
    this.path = field.split('.')
  }

  /** Index keys of a document for this field. */
  keysOf(doc: Doc): Set<string> {
    const keys = new Set<string>()
    for (const value of valuesAt(doc, this.path)) {
      const key = valueKey(value)
      if (key !== undefined) keys.add(key)
    }
    return keys
  }

  add(idKey: string, doc: Doc): void {
    for (const key of this.keysOf(doc)) {
      let ids = this.entries.get(key)
      if (!ids) this.entries.set(key, (ids = new Set()))
      ids.add(idKey)
    }
  }

  remove(idKey: string, doc: Doc): void {
    for (const key of this.keysOf(doc)) {
      const ids = this.entries.get(key)
      if (!ids) continue
      ids.delete(idKey)
      if (ids.size === 0) this.entries.delete(key)
    }
  }
}

export class Collection {
  readonly docs = new Map<string, Doc>()
  readonly versions = new Map<string, number>()
  /** Insertion order of each live document (the order of `docs`), to order index hits like a scan. */
  private readonly positions = new Map<string, number>()
  private inserted = 0
  private readonly indexes = new Map<string, FieldIndex>()
  private readonly sorted = new Map<string, SortedIndex>([['_id', new SortedIndex('_id')]])

  constructor(
    readonly name: string,
    indexedFields: string[] = [],
  ) {
    for (const field of indexedFields) {
      // A numeric path segment means "array position" to Mongo; such fields are not indexed.
      if (field && field !== '_id' && !field.split('.').some((part) => /^\d+$/.test(part))) {
        this.indexes.set(field, new FieldIndex(field))
        this.sorted.set(field, new SortedIndex(field))
      }
    }
  }

  /** The sorted index of `_id` or a declared field, when it can serve an ordered walk. */
  sortedIndex(field: string): SortedIndex | undefined {
    const index = this.sorted.get(field)
    if (index && !index.built) index.build(this.entriesForIndex())
    return index?.servable ? index : undefined
  }

  private *entriesForIndex(): Generator<[string, Doc, number]> {
    for (const [idKey, doc] of this.docs) yield [idKey, doc, this.position(idKey)]
  }

  get size(): number {
    return this.docs.size
  }

  get(idKey: string): Doc | undefined {
    return this.docs.get(idKey)
  }

  position(idKey: string): number {
    return this.positions.get(idKey) ?? Number.MAX_SAFE_INTEGER
  }

  version(idKey: string): number {
    return this.versions.get(idKey) ?? 0
  }

  isIndexed(field: string): boolean {
    return this.indexes.has(field)
  }

  /** Ids whose `field` holds a value with one of `keys` (field must be indexed). */
  lookup(field: string, keys: string[]): Set<string> {
    const index = this.indexes.get(field)
    const out = new Set<string>()
    if (!index) return out
    for (const key of keys) {
      const ids = index.entries.get(key)
      if (ids) for (const id of ids) out.add(id)
    }
    return out
  }

  /** Inserts or replaces the document stored under `idKey`, keeping indexes exact. */
  put(idKey: string, doc: Doc, version: number): void {
    const previous = this.docs.get(idKey)
    for (const index of this.indexes.values()) {
      if (previous) index.remove(idKey, previous)
      index.add(idKey, doc)
    }
    if (!previous) this.positions.set(idKey, ++this.inserted)
    const position = this.positions.get(idKey) as number
    for (const index of this.sorted.values()) {
      if (previous) index.remove(idKey, previous, position)
      index.add(idKey, doc, position)
    }
    this.docs.set(idKey, doc)
    this.versions.set(idKey, version)
  }

  delete(idKey: string, version: number): boolean {
    const previous = this.docs.get(idKey)
    if (!previous) return false
    for (const index of this.indexes.values()) index.remove(idKey, previous)
    const position = this.positions.get(idKey) as number
    for (const index of this.sorted.values()) index.remove(idKey, previous, position)
    this.docs.delete(idKey)
    this.positions.delete(idKey)
    this.versions.set(idKey, version)
    return true
  }
}
