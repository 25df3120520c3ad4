/**
 * The event outbox: facts recorded with the write that makes them true, delivered at least once
 * to each follower.
 *
 * 1. Record. The document whose write makes the fact true (the member for a join or a counter
 *    purchase, the coupon for a claim, the order for a payment, the group for a seat, the person
 *    for an open) carries the
 *    fact in the same write: `events.<factId>` plus `eventsSeq` (+1 per fact, the version the
 *    cleanup checks). No extra call on the hot path.
 * 2. Publish. Each carried fact becomes a document of `facts` (id = fact id, so a second
 *    publication is a no-op) listing the followers still `pending`, and leaves its carrier.
 * 3. Deliver. Whoever holds a fact's lease calls its pending followers; the lease is the `due`
 *    field itself, moved forward by one conditional update, so of two drains at once one
 *    delivers. A follower that fails stays pending and is retried with back-off; one that
 *    succeeded is not called again. A delivery that dies leaves the fact due again when the
 *    lease runs out, so every follower is called at least once and must be idempotent.
 *
 * `deliverNow` does 2 and 3 right after an action whose caller can wait; the minute timer
 * (`drainFacts`) does them for everything else and for whatever a crash left behind.
 */
import { randomBytes } from 'node:crypto'
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs, type AnyFact, type FactType } from '../../domain/shared/events'
import { database, isDuplicateKey } from './cloud'
import { mapLimit } from './jobs'

export interface Follower {
  /** stable: it is stored in each fact's pending list */
  name: string
  /** idempotent: it may be called more than once for one fact; it ignores fact types it does not follow */
  handle(fact: AnyFact, now: Date): Promise<void>
}

/** Every fact type with its followers (possibly none), so a new type cannot go unconsidered. */
export type Followers = Record<FactType, Follower[]>

export const CARRIERS = ['members', 'coupons', 'orders', 'groups', 'people'] as const
export type Carrier = (typeof CARRIERS)[number]

export interface FactRecord {
  _id: string
  type: FactType
  at: Date
  data: AnyFact['data']
  /** followers not delivered yet */
  pending: string[]
  /** delivery attempts per follower */
  attempts: Record<string, number>
  /** when the next delivery may start; absent once every follower is done or parked */
  due?: Date
  lease?: string
  lastErrors?: Record<string, string>
  parked?: string[]
  publishedAt: Date
  deliveredAt?: Date
}

/** A delivery holds a fact this long; longer than any delivery takes, shorter than a minute's wait. */
export const LEASE_MS = 50_000
/** Delivered facts are kept this long, then dropped by the nightly job. */
export const FACTS_KEPT_DAYS = 90
const CONCURRENCY = 8
const PAGE = 100

const facts = () => database().collection('facts')

/** Fields to merge into an update of the carrier that makes these facts true. */
export function carryFacts(...carried: AnyFact[]): Record<string, unknown> {
  const _ = database().command
  return { ...Object.fromEntries(carried.map((one) => [`events.${one._id}`, one])), eventsSeq: _.inc(carried.length) }
}

/** Fields of a carrier document created together with these facts. */
export function carriedFields(...carried: AnyFact[]): { events: Record<string, AnyFact>; eventsSeq: number } {
  return { events: Object.fromEntries(carried.map((one) => [one._id, one])), eventsSeq: carried.length }
}

interface CarrierDocument {
  _id: string
  events?: Record<string, AnyFact>
  eventsSeq?: number
}

function followerNames(followers: Followers, type: FactType): string[] {
  return followers[type].map((follower) => follower.name)
}

/**
 * Publishes a fact (once, whoever asks): the record it created, or null when it was published
 * before. A fact nobody follows is kept all the same, delivered at once (the log of facts, for
 * followers to come and for audits; the nightly job drops delivered facts after FACTS_KEPT_DAYS).
 * With `lease`, the new record is held for this caller's delivery.
 */
async function publish(one: AnyFact, followers: Followers, now: Date, lease?: string): Promise<FactRecord | null> {
  const pending = followerNames(followers, one.type)
  const record: FactRecord = { _id: one._id, type: one.type, at: new Date(one.at), data: one.data, pending, attempts: {}, publishedAt: now }
  if (pending.length === 0) record.deliveredAt = now
  else {
    record.due = lease ? new Date(now.getTime() + LEASE_MS) : now
    if (lease) record.lease = lease
  }
  try {
    await facts().add(record)
    return pending.length > 0 ? record : null
  } catch (error) {
    if (isDuplicateKey(error)) return null
    throw error
  }
}

/** Drops published facts from their carrier; the whole field only if no fact came in since `seq`. */
async function clearCarried(carrier: Carrier, document: CarrierDocument): Promise<void> {
  const ids = Object.keys(document.events ?? {})
  const _ = database().command
  const collection = database().collection(carrier)
  const { updated } = await collection.where({ _id: document._id, eventsSeq: document.eventsSeq }).update({ events: _.remove(), eventsSeq: _.remove() })
  if (updated === 0 && ids.length > 0) await collection.doc(document._id).update(Object.fromEntries(ids.map((id) => [`events.${id}`, _.remove()])))
}

async function claim(id: string, now: Date): Promise<FactRecord | null> {
  const _ = database().command
  const lease = randomBytes(6).toString('hex')
  const { doc } = (await facts()
    .where({ _id: id, due: _.lte(now) })
    .updateAndReturn({ due: new Date(now.getTime() + LEASE_MS), lease })) as { doc?: FactRecord }
  return doc ?? null
}

/** Calls the pending followers of a fact this caller holds, then records who is done. */
async function deliver(record: FactRecord, followers: Followers, now: Date): Promise<{ delivered: number; failed: number }> {
  const _ = database().command
  const byName = new Map(followers[record.type].map((follower) => [follower.name, follower]))
  const one = { _id: record._id, type: record.type, at: new Date(record.at), data: record.data } as AnyFact
  const outcomes = await Promise.all(
    record.pending.map(async (name) => {
      const follower = byName.get(name)
      if (!follower) return { name, error: 'no such follower any more' }
      try {
        await follower.handle(one, now)
        return { name, error: null }
      } catch (error) {
        return { name, error: error instanceof Error ? error.message : String(error) }
      }
    }),
  )
  const failed = outcomes.filter((outcome) => outcome.error !== null)
  const retry = failed.filter((outcome) => (record.attempts?.[outcome.name] ?? 0) + 1 < MAX_DELIVERY_ATTEMPTS && byName.has(outcome.name))
  const parked = failed.filter((outcome) => !retry.includes(outcome))
  const update: Record<string, unknown> = {
    pending: retry.map((outcome) => outcome.name),
    lease: _.remove(),
    ...Object.fromEntries(outcomes.map((outcome) => [`attempts.${outcome.name}`, _.inc(1)])),
    ...Object.fromEntries(failed.map((outcome) => [`lastErrors.${outcome.name}`, (outcome.error as string).slice(0, 300)])),
  }
  if (parked.length > 0) update.parked = _.addToSet({ each: parked.map((outcome) => outcome.name) })
  if (retry.length > 0) {
    const attempt = Math.max(...retry.map((outcome) => (record.attempts?.[outcome.name] ?? 0) + 1))
    update.due = new Date(now.getTime() + retryDelayMs(attempt))
  } else {
    update.due = _.remove()
    update.deliveredAt = now
  }
  for (const outcome of failed) console.error(`[facts] ${outcome.name} failed on ${record._id}: ${outcome.error}`)
  // Only the lease holder records the outcome; a holder whose lease ran out leaves it to the next.
  await facts().where({ _id: record._id, lease: record.lease }).update(update)
  return { delivered: outcomes.length - failed.length, failed: failed.length }
}

/**
 * Right after an action whose caller can wait: publishes the facts its write carried, delivers
 * them, and clears them from the carrier. Never fails the action: what it cannot finish, the
 * minute timer does.
 */
export async function deliverNow(carrier: Carrier, document: CarrierDocument, followers: Followers, now: Date): Promise<void> {
  try {
    const lease = randomBytes(6).toString('hex')
    await Promise.all(
      Object.values(document.events ?? {}).map(async (one) => {
        const record = await publish(one, followers, now, lease)
        if (record) await deliver(record, followers, now)
      }),
    )
    await clearCarried(carrier, document)
  } catch (error) {
    console.error(`[facts] delivery after the action is left to the timer: ${(error as Error).message}`)
  }
}

export interface FactsDrain {
  published: number
  delivered: number
  failed: number
  /** false when it stopped at the deadline with work left */
  finished: boolean
}

/** The minute timer: publishes what carriers still hold, then delivers every fact that is due. */
export async function drainFacts(followers: Followers, now: Date, deadline: number): Promise<FactsDrain> {
  const _ = database().command
  const result: FactsDrain = { published: 0, delivered: 0, failed: 0, finished: true }
  for (const carrier of CARRIERS) {
    for (;;) {
      if (Date.now() > deadline) return { ...result, finished: false }
      const { data } = await database()
        .collection(carrier)
        .where({ eventsSeq: _.gt(0) })
        .field({ _id: true, events: true, eventsSeq: true })
        .limit(PAGE)
        .get()
      const page = data as CarrierDocument[]
      await mapLimit(page, CONCURRENCY, async (document) => {
        for (const one of Object.values(document.events ?? {})) if (await publish(one, followers, now)) result.published++
        await clearCarried(carrier, document)
      })
      if (page.length < PAGE) break
    }
  }
  for (;;) {
    if (Date.now() > deadline) return { ...result, finished: false }
    const { data } = await facts()
      .where({ due: _.lte(now) })
      .orderBy('due', 'asc')
      .field({ _id: true })
      .limit(PAGE)
      .get()
    const ids = (data as { _id: string }[]).map((row) => row._id)
    await mapLimit(ids, CONCURRENCY, async (id) => {
      const record = await claim(id, now)
      if (!record) return
      const outcome = await deliver(record, followers, now)
      result.delivered += outcome.delivered
      result.failed += outcome.failed
    })
    if (ids.length < PAGE) return result
  }
}

/** Increments on one document, the effect of a counting follower. */
export interface CountChange {
  collection: string
  id: string
  /** the document's other fields when it is first created */
  initial: Record<string, unknown>
  inc: Record<string, number>
}

/**
 * For a follower whose effect is not idempotent by itself (a counter): the increments and the
 * fact's id land in one conditional update of the counted document, which refuses a fact it has
 * counted before; no transaction, so no lock a crash could leave behind. The ids stay on the
 * document, so a counted document has a natural small scope (a clerk's day, not a brand's year).
 * True when this call counted it.
 */
export async function countOnce(factId: string, change: CountChange, now: Date): Promise<boolean> {
  const collection = database().collection(change.collection)
  const _ = database().command
  const count = async () =>
    (
      await collection
        .where({ _id: change.id, counted: _.neq(factId) })
        .update({ ...Object.fromEntries(Object.entries(change.inc).map(([key, by]) => [key, _.inc(by)])), counted: _.push(factId), updatedAt: now })
    ).updated === 1
  if (await count()) return true
  try {
    await collection.add({ _id: change.id, ...change.initial, ...Object.fromEntries(Object.keys(change.inc).map((key) => [key, 0])), counted: [], updatedAt: now })
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  return count()
}

/** Drops facts delivered more than FACTS_KEPT_DAYS ago (nightly). */
export async function trimFacts(now: Date): Promise<{ removed: number }> {
  const _ = database().command
  const { deleted } = (await facts()
    .where({ deliveredAt: _.lt(new Date(now.getTime() - FACTS_KEPT_DAYS * 86_400_000)) })
    .remove()) as { deleted?: number }
  return { removed: deleted ?? 0 }
}
