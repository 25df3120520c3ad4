/**
 * The database core of the emulator: typed actions over an in-memory, persisted store.
 *
 *   Database.open(dataDir, indexes) → handle('database.getDocument', params) → reply body
 *
 * plus direct helpers (insertMany / find / count / isEmpty) for seeding and inspection.
 */
import { EmulatorError } from '../errors'
import { DATABASE_ACTIONS, type ActionContext } from './actions'
import { cloneValue, type Doc } from './ejson'
import { Store } from './store'
import { Transactions } from './transactions'
import { newId } from './update'
import { DirectView } from './view'

export { EmulatorError } from '../errors'

const SWEEP_INTERVAL_MS = 5_000

export class Database {
  private readonly ctx: ActionContext
  private readonly sweeper: NodeJS.Timeout

  private constructor(private readonly store: Store) {
    const transactions = new Transactions(store)
    this.ctx = { store, transactions, direct: new DirectView(store) }
    this.sweeper = setInterval(() => transactions.sweep(), SWEEP_INTERVAL_MS)
    this.sweeper.unref()
  }

  /** Loads (and compacts) the data directory; fails if another live process holds it. */
  static open(dataDir: string, indexes: Record<string, string[]>): Database {
    return new Database(Store.open(dataDir, indexes))
  }

  /** Runs one `database.*` action; returns the reply body without requestId, or throws EmulatorError. */
  async handle(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    // own keys only: `constructor` or `toString` must not name an action
    const run = Object.prototype.hasOwnProperty.call(DATABASE_ACTIONS, action) ? DATABASE_ACTIONS[action] : undefined
    if (!run) throw new EmulatorError('INVALID_PARAM', `unknown action ${action}`)
    return run(this.ctx, params)
  }

  /** Inserts plain JS documents (ids generated when missing); duplicate `_id` throws. One atomic batch. */
  insertMany(collection: string, docs: object[]): void {
    this.ctx.direct.write(
      docs.map((raw) => {
        const doc = cloneValue(raw as Doc)
        const id = doc._id ?? newId()
        return { collection, id, doc: '_id' in doc ? doc : { _id: id, ...doc }, insert: true }
      }),
    )
  }

  /** Documents matching `query` (mongo syntax, plain JS values), as copies. */
  find(collection: string, query: object = {}): object[] {
    return this.ctx.direct.match(collection, query as Doc).map(cloneValue)
  }

  count(collection: string, query: object = {}): number {
    return this.ctx.direct.match(collection, query as Doc).length
  }

  /** Replaces (or creates) one document by its `_id`, as the console's editor saves it. */
  put(collection: string, doc: object & { _id: string }): void {
    this.ctx.direct.write([{ collection, id: doc._id, doc: cloneValue(doc as Doc) }])
  }

  /** Every collection with documents, by name, with its count. */
  collectionNames(): { name: string; count: number }[] {
    return [...this.store.collections.entries()]
      .filter(([, collection]) => collection.size > 0)
      .map(([name, collection]) => ({ name, count: collection.size }))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  /** True when no collection holds a document. */
  isEmpty(): boolean {
    for (const collection of this.store.collections.values()) if (collection.size > 0) return false
    return true
  }

  close(): void {
    clearInterval(this.sweeper)
    this.store.close()
  }
}
