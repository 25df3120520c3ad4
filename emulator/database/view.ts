/**
 * A View is what an action reads and writes through: the committed state directly, or a
 * transaction's overlay (see transactions.ts). Actions are written once against this interface.
 */
import { EmulatorError } from '../errors'
import { idKeyOf } from './collection'
import type { Doc } from './ejson'
import { matchCommitted } from './query'
import type { Mutation, Store } from './store'

/** One document write: `doc` null means delete; `insert` marks a new document (duplicate `_id` check). */
export interface Write {
  collection: string
  id: unknown
  doc: Doc | null
  insert?: boolean
}

export interface View {
  /** All documents of `collection` matching `query`, natural order. Missing collection → []. */
  match(collection: string, query: Doc): Doc[]
  getById(collection: string, id: unknown): Doc | undefined
  /** Applies writes atomically: directly (one log line) or into the transaction's buffer. */
  write(writes: Write[]): void
}

export function duplicateKeyError(collection: string, id: unknown): EmulatorError {
  const shown = typeof id === 'string' ? JSON.stringify(id) : String(id)
  return new EmulatorError('DATABASE_REQUEST_FAILED', `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: ${shown} }`)
}

export function toMutation(write: Write): Mutation {
  return write.doc ? { c: write.collection, doc: write.doc } : { c: write.collection, id: write.id }
}

/** Reads and writes committed state; every write call is one atomic, logged batch. */
export class DirectView implements View {
  constructor(private readonly store: Store) {}

  match(collection: string, query: Doc): Doc[] {
    return matchCommitted(this.store.collection(collection), query)
  }

  getById(collection: string, id: unknown): Doc | undefined {
    return this.store.collection(collection)?.get(idKeyOf(id))
  }

  write(writes: Write[]): void {
    const batch: Mutation[] = []
    const inserted = new Set<string>()
    for (const write of writes) {
      if (write.insert) {
        const key = `${write.collection}\u0000${idKeyOf(write.id)}`
        if (inserted.has(key) || this.getById(write.collection, write.id)) throw duplicateKeyError(write.collection, write.id)
        inserted.add(key)
      }
      if (!write.doc && !this.getById(write.collection, write.id)) continue
      batch.push(toMutation(write))
    }
    this.store.commit(batch)
  }
}
