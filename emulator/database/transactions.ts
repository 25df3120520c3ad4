/**
 * Optimistic transactions with real isolation.
 *
 * - Each transaction buffers its writes over the committed state; its own reads see them.
 * - It records the version of every document it reads or writes, when first seen.
 * - Write-write: writing a document another open transaction has written (uncommitted)
 *   fails at once with DATABASE_TRANSACTION_CONFLICT (and ends the losing transaction).
 * - Commit: if any recorded version changed (by any committed write, transactional or not),
 *   DATABASE_TRANSACTION_CONFLICT and nothing applies; otherwise the whole buffer is one
 *   atomic, logged batch. The SDK's runTransaction retries the callback on that code.
 * - Transactions idle longer than IDLE_LIMIT_MS are aborted.
 */
import { randomBytes } from 'node:crypto'
import { EmulatorError } from '../errors'
import { idKeyOf } from './collection'
import type { Doc } from './ejson'
import { compileQuery, matchCommitted } from './query'
import type { Mutation, Store } from './store'
import { duplicateKeyError, toMutation, type View, type Write } from './view'

/** Idle transactions are aborted after this long (env EMULATOR_TX_IDLE_MS overrides, for tests). */
export const IDLE_LIMIT_MS = Number(process.env.EMULATOR_TX_IDLE_MS) || 30_000

interface BufferedWrite {
  write: Write
  idKey: string
}

class Transaction {
  /** collection → idKey → buffered write */
  readonly writes = new Map<string, Map<string, BufferedWrite>>()
  /** `${collection}\0${idKey}` → version when first read or written */
  readonly seen = new Map<string, number>()
  lastUsed = Date.now()

  constructor(readonly id: string) {}
}

const slot = (collection: string, idKey: string) => `${collection}\u0000${idKey}`

export class Transactions {
  private readonly open = new Map<string, Transaction>()
  /** slot → id of the open transaction holding an uncommitted write there */
  private readonly locks = new Map<string, string>()

  constructor(private readonly store: Store) {}

  start(): string {
    this.sweep()
    const id = `tx-${randomBytes(8).toString('hex')}`
    this.open.set(id, new Transaction(id))
    return id
  }

  /** The overlay view of an open transaction. */
  view(transactionId: string): View {
    const tx = this.get(transactionId)
    return new TransactionView(tx, this.store, this)
  }

  commit(transactionId: string): void {
    const tx = this.get(transactionId)
    try {
      const batch: Mutation[] = []
      for (const [collection, writes] of tx.writes) {
        const committed = this.store.collection(collection)
        for (const { write, idKey } of writes.values()) {
          if (write.insert && write.doc && committed?.get(idKey)) throw duplicateKeyError(collection, write.id)
          if (!write.doc && !committed?.get(idKey)) continue
          batch.push(toMutation(write))
        }
      }
      for (const [key, version] of tx.seen) {
        const [collection, idKey] = key.split('\u0000')
        if ((this.store.collection(collection)?.version(idKey) ?? 0) !== version) {
          throw new EmulatorError('DATABASE_TRANSACTION_CONFLICT', `transaction ${tx.id} conflicts: a document it used in ${collection} was changed by another write`)
        }
      }
      this.store.commit(batch)
    } finally {
      this.end(tx)
    }
  }

  abort(transactionId: string): void {
    this.end(this.get(transactionId))
  }

  /** Aborts transactions idle for longer than IDLE_LIMIT_MS. */
  sweep(now = Date.now()): void {
    for (const tx of this.open.values()) if (now - tx.lastUsed > IDLE_LIMIT_MS) this.end(tx)
  }

  get size(): number {
    return this.open.size
  }

  /** Takes the write locks of `writes` for `tx`, or ends `tx` with a conflict. */
  lockFor(tx: Transaction, writes: Write[]): void {
    const slots = writes.map((write) => slot(write.collection, idKeyOf(write.id)))
    const holder = slots.map((s) => this.locks.get(s)).find((owner) => owner !== undefined && owner !== tx.id)
    if (holder) {
      this.end(tx)
      throw new EmulatorError('DATABASE_TRANSACTION_CONFLICT', `transaction ${tx.id} conflicts: a document it writes has an uncommitted write of transaction ${holder}`)
    }
    for (const s of slots) this.locks.set(s, tx.id)
  }

  private get(transactionId: string): Transaction {
    this.sweep()
    const tx = this.open.get(transactionId)
    if (!tx) {
      throw new EmulatorError('DATABASE_TRANSACTION_FAIL', `transaction ${transactionId} does not exist or has ended`)
    }
    tx.lastUsed = Date.now()
    return tx
  }

  private end(tx: Transaction): void {
    if (!this.open.delete(tx.id)) return
    for (const writes of tx.writes.values()) {
      for (const { idKey, write } of writes.values()) {
        const s = slot(write.collection, idKey)
        if (this.locks.get(s) === tx.id) this.locks.delete(s)
      }
    }
  }
}

class TransactionView implements View {
  constructor(
    private readonly tx: Transaction,
    private readonly store: Store,
    private readonly manager: Transactions,
  ) {}

  private see(collection: string, idKey: string): void {
    const key = slot(collection, idKey)
    if (!this.tx.seen.has(key)) this.tx.seen.set(key, this.store.collection(collection)?.version(idKey) ?? 0)
  }

  match(collection: string, query: Doc): Doc[] {
    const buffered = this.tx.writes.get(collection)
    const committed = matchCommitted(this.store.collection(collection), query)
    const out: Doc[] = []
    for (const doc of committed) {
      const idKey = idKeyOf(doc._id)
      if (buffered?.has(idKey)) continue
      this.see(collection, idKey)
      out.push(doc)
    }
    if (buffered) {
      const test = compileQuery(query)
      for (const { write } of buffered.values()) if (write.doc && test(write.doc)) out.push(write.doc)
    }
    return out
  }

  getById(collection: string, id: unknown): Doc | undefined {
    const idKey = idKeyOf(id)
    const buffered = this.tx.writes.get(collection)?.get(idKey)
    if (buffered) return buffered.write.doc ?? undefined
    this.see(collection, idKey)
    return this.store.collection(collection)?.get(idKey)
  }

  write(writes: Write[]): void {
    for (const write of writes) {
      if (write.insert && this.getById(write.collection, write.id)) throw duplicateKeyError(write.collection, write.id)
    }
    this.manager.lockFor(this.tx, writes)
    for (const write of writes) {
      const idKey = idKeyOf(write.id)
      this.see(write.collection, idKey)
      let buffer = this.tx.writes.get(write.collection)
      if (!buffer) this.tx.writes.set(write.collection, (buffer = new Map()))
      const earlier = buffer.get(idKey)
      const insert = Boolean(write.insert || earlier?.write.insert)
      buffer.set(idKey, { idKey, write: { ...write, insert } })
    }
  }
}
