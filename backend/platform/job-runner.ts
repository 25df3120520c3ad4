/**
 * The job runner: batch work over millions of documents, spread over many invocations.
 *
 * A run has a key (`expiry:2026`, `birthdays:2026-12-02`); a second start with the same key is
 * the same run. It is cut into shards by `_id` range. A tick (the minute timer, the nightly
 * timer, an admin call) fans out up to `width` worker invocations of the `jobs` function through
 * the SDK's callFunction; each worker leases one shard, pages through the documents of its range
 * that the job's index condition selects, works them with a bounded concurrency, and
 * checkpoints after every page. The lease is checked on every checkpoint, so a worker whose lease
 * ran out commits nothing more; a shard whose worker crashed or timed out is leased again by a
 * later tick once its lease has passed and goes on from its checkpoint. Work on one document is
 * idempotent (a page may be worked twice after a crash). Progress lives in `job_runs` and
 * `job_shards` and is read by the admin action `jobRun`.
 *
 * Leases and times are on the business clock, which every invocation shares.
 */
import { randomBytes } from 'node:crypto'
import type { JobFindingView, JobRunView } from '../../domain/contract'
import { isAppError, type Reason } from '../../domain/shared/errors'
import { businessNow } from './clock'
import { cloudApp, database, isDuplicateKey } from './cloud'
import { mapLimit } from './jobs'

/**
 * What one document's work did: how much it changed (points expired, entries trimmed …, 0 for
 * nothing), and optionally named counts (`released`, `markedPaid` …) summed over the run.
 */
export type WorkResult = number | { changed: number; outcomes: Record<string, number> }

/** One document's work that ended in the named outcome (counted once), having changed `changed`. */
export function outcome(name: string, changed = 0): WorkResult {
  return { changed, outcomes: { [name]: 1 } }
}

export interface Job<P = Record<string, unknown>> {
  name: string
  collection: string
  /** the documents that have work, by an index: an ordinary night costs what its work costs */
  where(params: P, now: Date): Record<string, unknown>
  /** when the run is over a list of documents (a bulk grant's members): their ids; `where` still applies */
  ids?(params: P): string[]
  /** for `ids`: the reason a finding names for an id that no document has */
  missing?: Reason
  /** the fields the work reads besides `_id` (none by default), or 'all' */
  fields?: Record<string, boolean> | 'all'
  /** one document's work, idempotent; a thrown error is kept as the run's finding for that document */
  work(document: { _id: string } & Record<string, unknown>, params: P, now: Date): Promise<WorkResult>
  /** documents worked at once inside one worker */
  concurrency?: number
}

/** Jobs by name; each names its own params type (what its run stored when it started). */
export type Jobs = ReadonlyMap<string, Job<any>>

export interface RunRecord {
  _id: string
  job: string
  params: Record<string, unknown>
  width: number
  shards: number
  /** the `_id` prefixes the shards are cut under (members: `m_`) */
  prefixes?: string[]
  status: 'running' | 'done'
  startedAt: Date
  finishedAt: Date | null
}

export interface ShardRecord {
  _id: string
  runKey: string
  index: number
  /** the range of `_id`: from ≤ _id < to, after the checkpoint `cursor` (null: from the start) */
  from: string
  to: string
  cursor: string | null
  status: 'open' | 'done'
  leaseUntil: Date
  lease: string | null
  items: number
  /** documents the work changed something on */
  touched: number
  changed: number
  errors: number
  /** named counts of the work (WorkResult's outcomes) */
  outcomes?: Record<string, number>
  lastError: string | null
  attempts: number
}

/** An error a document's work ended in (or an id of a list that no document has), kept per run and document. */
export interface FindingRecord extends JobFindingView {
  _id: string
  runKey: string
  at: Date
}

export type RunProgress = JobRunView

/** A worker holds its shard this long after each checkpoint; well below the jobs function's 900 s. */
export const SHARD_LEASE_MS = 120_000
/**
 * A worker stops taking items of a page this long after its last checkpoint and checkpoints what
 * it did (renewing the lease), so a page that is slow under contention never outlives the lease.
 */
const CHECKPOINT_EVERY_MS = 30_000
/** A run's width (concurrent workers): the setting JOB_WIDTH (cloudbaserc.json envVariables of `jobs`), else this. */
export const DEFAULT_WIDTH = 8
export const MAX_WIDTH = 64
const PAGE = 500
const WORKER_EVENT = 'JobWorker'

const runs = () => database().collection('job_runs')
const shards = () => database().collection('job_shards')
const findings = () => database().collection('job_findings')

/**
 * `count` ranges of `_id` covering every string: the first from '' and the last to '\uffff', the
 * cuts at `prefix` + two hex digits (member ids are `m_` + hex), so members spread evenly.
 */
export function hexShards(prefix: string, count: number): { from: string; to: string }[] {
  return prefixShards([prefix], count)
}

/**
 * About `count` ranges of `_id` covering every string, cut at each prefix and under each at two
 * hex digits (coupon ids are `<template>:m_` + hex: one prefix per template): as many ranges under
 * every prefix, at least one each. Ids outside every prefix still fall into some range.
 */
export function prefixShards(prefixes: string[], count: number): { from: string; to: string }[] {
  const sorted = [...new Set(prefixes)].sort()
  const total = Math.max(1, Math.min(256, Math.floor(count)))
  const each = Math.max(1, Math.floor(total / sorted.length))
  const hex = (i: number) =>
    Math.floor((i * 256) / each)
      .toString(16)
      .padStart(2, '0')
  const cuts = sorted.flatMap((prefix, p) => [...(p > 0 ? [prefix] : []), ...Array.from({ length: each - 1 }, (_, i) => `${prefix}${hex(i + 1)}`)])
  const bounds = ['', ...cuts, '\uffff']
  return bounds.slice(0, -1).map((from, i) => ({ from, to: bounds[i + 1] }))
}

/** Documents per shard a run aims at when it is not told how many shards to cut, and the fewest worth a worker of its own. */
const DOCUMENTS_PER_SHARD = 2000
const MIN_PER_SHARD = 100

export interface StartOptions {
  width?: number
  /** how many shards, without counting the documents first */
  shards?: number
  /** at most this many shards (a collection whose ids do not spread under a prefix: 1) */
  maxShards?: number
  /** the `_id` prefixes to cut shards under (default `m_`, members) */
  prefixes?: string[]
  /** false: a run that finds nothing to do is not written (a sweep every minute) */
  recordEmpty?: boolean
}

/**
 * Starts the run `key` of `job`, or finds it started: the same key is the same run, whatever its
 * params. Without `shards`, one count of the documents with work decides: DOCUMENTS_PER_SHARD
 * each, but at least one shard per worker of the width (MIN_PER_SHARD each), at most 256.
 */
export async function startRun(job: Job, key: string, params: Record<string, unknown>, now: Date, options: StartOptions = {}): Promise<RunRecord> {
  const existing = (await runs().doc(key).get()).data[0] as RunRecord | undefined
  if (existing) return completeShards(existing)
  const width = Math.max(1, Math.min(MAX_WIDTH, Math.floor(options.width ?? (Number(process.env.JOB_WIDTH) || DEFAULT_WIDTH))))
  const documents =
    options.shards === undefined
      ? (
          await database()
            .collection(job.collection)
            .where(selection(job, params, now))
            .count()
        ).total
      : 0
  // enough shards for every worker of the width once there are MIN_PER_SHARD documents each; a night with nothing to do is a run done at once
  const wanted = options.shards ?? Math.max(Math.ceil(documents / DOCUMENTS_PER_SHARD), Math.min(width, Math.ceil(documents / MIN_PER_SHARD)))
  const count = Math.min(wanted, options.maxShards ?? Infinity)
  const prefixes = options.prefixes?.length ? options.prefixes : ['m_']
  const ranges = count > 0 ? prefixShards(prefixes, count) : []
  const run: RunRecord = {
    _id: key,
    job: job.name,
    params,
    width,
    shards: ranges.length,
    prefixes,
    status: ranges.length > 0 ? 'running' : 'done',
    startedAt: now,
    finishedAt: ranges.length > 0 ? null : now,
  }
  if (ranges.length === 0 && options.recordEmpty === false) return run
  try {
    await runs().add(run)
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return completeShards((await runs().doc(key).get()).data[0] as RunRecord)
  }
  await addShards(run, new Set())
  return run
}

/**
 * Adds the shards of a run that are missing: their ids come from the run and their index, so a
 * start that died half way is completed by the next start of the same key.
 */
async function addShards(run: RunRecord, have: Set<string>): Promise<void> {
  await mapLimit(prefixShards(run.prefixes ?? ['m_'], run.shards), 16, async (range, index) => {
    const shard: ShardRecord = {
      _id: `${run._id}#${index}`,
      runKey: run._id,
      index,
      ...range,
      cursor: null,
      status: 'open',
      leaseUntil: new Date(0),
      lease: null,
      items: 0,
      touched: 0,
      changed: 0,
      errors: 0,
      lastError: null,
      attempts: 0,
    }
    if (have.has(shard._id)) return
    try {
      await shards().add(shard)
    } catch (error) {
      if (!isDuplicateKey(error)) throw error
    }
  })
}

async function completeShards(run: RunRecord): Promise<RunRecord> {
  if (run.status !== 'running') return run
  const have = new Set((await shardsOf(run._id)).map((shard) => shard._id))
  if (have.size < run.shards) await addShards(run, have)
  return run
}

async function shardsOf(runKey: string): Promise<ShardRecord[]> {
  const { data } = await shards().where({ runKey }).limit(1000).get()
  return data as ShardRecord[]
}

export async function runProgress(key: string): Promise<RunProgress | null> {
  const [{ data }, parts] = await Promise.all([runs().doc(key).get(), shardsOf(key)])
  const run = data[0] as RunRecord | undefined
  if (!run) return null
  const sum = (field: 'items' | 'touched' | 'changed' | 'errors') => parts.reduce((total, shard) => total + (shard[field] ?? 0), 0)
  const outcomes: Record<string, number> = {}
  for (const shard of parts) for (const [name, count] of Object.entries(shard.outcomes ?? {})) outcomes[name] = (outcomes[name] ?? 0) + count
  return {
    key,
    job: run.job,
    status: run.status,
    shardsDone: parts.filter((shard) => shard.status === 'done').length,
    shardsTotal: run.shards,
    items: sum('items'),
    touched: sum('touched'),
    changed: sum('changed'),
    errors: sum('errors'),
    outcomes,
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: run.finishedAt ? new Date(run.finishedAt).toISOString() : null,
  }
}

/** The event a tick sends a worker invocation of the jobs function. */
export function workerEvent(runKey: string, shardId: string): Record<string, unknown> {
  return { [WORKER_EVENT]: { runKey, shardId } }
}

export function readWorkerEvent(event: Record<string, unknown>): { runKey: string; shardId: string } | null {
  const body = event[WORKER_EVENT] as { runKey?: unknown; shardId?: unknown } | undefined
  return body && typeof body.runKey === 'string' && typeof body.shardId === 'string' ? { runKey: body.runKey, shardId: body.shardId } : null
}

async function finishIfDone(run: RunRecord, now: Date): Promise<RunProgress | null> {
  const progress = await runProgress(run._id)
  if (progress && progress.status === 'running' && progress.shardsDone === progress.shardsTotal) {
    const { updated } = await runs().where({ _id: run._id, status: 'running' }).update({ status: 'done', finishedAt: now })
    // another tick finished it at the same moment: its finishedAt stands
    return updated === 1 ? { ...progress, status: 'done', finishedAt: now.toISOString() } : runProgress(run._id)
  }
  return progress
}

/**
 * One tick: for every running run, starts workers (invocations of the jobs function) on its
 * shards that are open and not leased, so that at most `width` work at once, counting those
 * still working from earlier ticks, and waits for them.
 */
export async function continueRuns(now: Date, only?: ReadonlySet<string>): Promise<{ runs: RunProgress[]; started: number }> {
  const { data: running } = await runs().where({ status: 'running' }).limit(100).get()
  const data = only ? (running as RunRecord[]).filter((run) => only.has(run._id)) : running
  const progress: RunProgress[] = []
  let started = 0
  await Promise.all(
    (data as RunRecord[]).map(async (run) => {
      const parts = await shardsOf(run._id)
      const open = parts.filter((shard) => shard.status === 'open')
      const working = open.filter((shard) => new Date(shard.leaseUntil).getTime() > now.getTime()).length
      const free = open.filter((shard) => new Date(shard.leaseUntil).getTime() <= now.getTime()).slice(0, Math.max(0, run.width - working))
      started += free.length
      await Promise.all(
        free.map((shard) =>
          callJobsFunction(workerEvent(run._id, shard._id)).catch((error: unknown) => {
            // a worker that died leaves its shard leased until the lease passes; a later tick takes it up
            console.error(`[jobs] worker for ${shard._id} failed: ${(error as Error).message}`)
          }),
        ),
      )
      const after = await finishIfDone(run, businessNow())
      if (after) progress.push(after)
    }),
  )
  return { runs: progress.sort((a, b) => (a.key < b.key ? -1 : 1)), started }
}

const OUTCOME_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/

function tallyWork(tally: { changed: number; touched: number; outcomes: Record<string, number> }, result: WorkResult): void {
  const changed = typeof result === 'number' ? result : result.changed
  tally.changed += changed
  if (changed > 0) tally.touched++
  if (typeof result === 'number') return
  for (const [name, count] of Object.entries(result.outcomes)) {
    if (!OUTCOME_NAME.test(name)) throw new Error(`outcome name ${JSON.stringify(name)} is not a plain word`)
    tally.outcomes[name] = (tally.outcomes[name] ?? 0) + count
  }
}

function findingOf(runKey: string, documentId: string, error: unknown, at: Date): FindingRecord {
  const shape = isAppError(error) ? error.toJSON() : { code: 'INTERNAL', reason: 'INTERNAL' as Reason, message: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) }
  return { _id: `${runKey}|${documentId}`, runKey, documentId, code: shape.code, reason: shape.reason, message: shape.message, at }
}

/** The documents a job selects: its index condition, and its list of ids when it has one. */
function selection(job: Job, params: Record<string, unknown>, now: Date): Record<string, unknown> {
  const where = job.where(params, now)
  return job.ids ? { ...where, _id: database().command.in([...new Set(job.ids(params))]) } : where
}

/** The findings of a run (errors of its documents), by document id, at most `limit`. */
export async function runFindings(runKey: string, limit = 100): Promise<JobFindingView[]> {
  const { data } = await findings().where({ runKey }).orderBy('documentId', 'asc').limit(limit).get()
  return (data as FindingRecord[]).map(({ documentId, code, reason, message }) => ({ documentId, code, reason, message }))
}

/** A worker may run up to the jobs function's own limit (900 s), so the call waits as long. */
const WORKER_CALL_TIMEOUT_MS = 900_000

async function callJobsFunction(event: Record<string, unknown>): Promise<unknown> {
  return cloudApp().callFunction({ name: 'jobs', data: event }, { timeout: WORKER_CALL_TIMEOUT_MS })
}

export interface ShardWork {
  shardId: string
  /** false when the shard was not leasable (another worker holds it, or it is done) */
  leased: boolean
  items: number
  done: boolean
}

/**
 * A worker: leases the shard, works its pages until the shard is done or `deadline` (ms) comes,
 * checkpointing after each page under its lease.
 */
export async function workShard(jobs: Jobs, runKey: string, shardId: string, deadline: number): Promise<ShardWork> {
  const _ = database().command
  const result: ShardWork = { shardId, leased: false, items: 0, done: false }
  const { data } = await runs().doc(runKey).get()
  const run = data[0] as RunRecord | undefined
  const job = run ? jobs.get(run.job) : undefined
  if (!run || !job || run.status !== 'running') return result
  const lease = randomBytes(8).toString('hex')
  const leasedAt = businessNow()
  const { doc } = (await shards()
    .where({ _id: shardId, runKey, status: 'open', leaseUntil: _.lte(leasedAt) })
    .updateAndReturn({ lease, leaseUntil: new Date(leasedAt.getTime() + SHARD_LEASE_MS), attempts: _.inc(1) })) as { doc?: ShardRecord }
  if (!doc) return result
  result.leased = true
  const listed = job.ids ? [...new Set(job.ids(run.params))].filter((id) => id >= doc.from && id < doc.to).sort() : null
  let cursor = doc.cursor
  for (;;) {
    if (Date.now() > deadline) break
    const pageDeadline = Math.min(deadline, Date.now() + CHECKPOINT_EVERY_MS)
    const now = businessNow()
    const after = (id: string) => (cursor === null ? id >= doc.from : id > cursor)
    const wanted = listed ? listed.filter(after).slice(0, PAGE) : null
    const range = cursor === null ? _.gte(doc.from).and(_.lt(doc.to)) : _.gt(cursor).and(_.lt(doc.to))
    const query = database()
      .collection(job.collection)
      .where({ ...job.where(run.params, now), _id: wanted ? _.in(wanted) : range })
      .orderBy('_id', 'asc')
      .limit(PAGE)
    const { data: page } = await (job.fields === 'all' ? query : query.field({ _id: true, ...(job.fields ?? {}) })).get()
    const documents = page as ({ _id: string } & Record<string, unknown>)[]
    const tally = { changed: 0, touched: 0, outcomes: {} as Record<string, number>, lastError: null as string | null }
    const found: FindingRecord[] = []
    // Items are taken in order and none is taken after the deadline, so what was worked is a prefix of the page.
    let taken = 0
    const worker = async () => {
      while (taken < documents.length && Date.now() <= pageDeadline) {
        const document = documents[taken++]
        try {
          tallyWork(tally, await job.work(document, run.params, now))
        } catch (error) {
          tally.lastError = `${document._id}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300)
          found.push(findingOf(runKey, document._id, error, now))
          if (!isAppError(error)) console.error(`[jobs] ${run.job} ${document._id}`, error)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(job.concurrency ?? 10, documents.length) }, worker))
    const whole = taken === documents.length
    const before = cursor
    if (wanted && whole) cursor = wanted.at(-1) ?? cursor
    else if (taken > 0) cursor = documents[taken - 1]._id
    const finished = whole && (wanted ? !listed!.some(after) : documents.length < PAGE)
    if (wanted && job.missing && cursor !== null) {
      const have = new Set(documents.map((document) => document._id))
      const last = cursor
      for (const id of wanted)
        if ((before === null || id > before) && id <= last && !have.has(id))
          found.push({ _id: `${runKey}|${id}`, runKey, documentId: id, code: 'NOT_FOUND', reason: job.missing, message: '没有这条记录', at: now })
    }
    const checkpoint: Record<string, unknown> = {
      cursor,
      items: _.inc(taken),
      touched: _.inc(tally.touched),
      changed: _.inc(tally.changed),
      errors: _.inc(found.length),
      leaseUntil: new Date(businessNow().getTime() + SHARD_LEASE_MS),
    }
    for (const [name, count] of Object.entries(tally.outcomes)) checkpoint[`outcomes.${name}`] = _.inc(count)
    if (tally.lastError) checkpoint.lastError = tally.lastError
    if (finished) Object.assign(checkpoint, { status: 'done', lease: null, leaseUntil: new Date(0) })
    // Under its own lease only: a worker whose lease passed (and was taken over) commits nothing,
    // findings included; they follow the checkpoint (a crash between the two keeps the count, not the detail).
    const { updated } = await shards()
      .where({ _id: shardId, lease, leaseUntil: _.gt(businessNow()) })
      .update(checkpoint)
    if (updated !== 1) return result
    await mapLimit(found, 10, ({ _id, ...finding }) => findings().doc(_id).set(finding))
    result.items += taken
    if (finished) {
      result.done = true
      return result
    }
  }
  // Out of time: give the shard back at once, so the next tick goes on from the checkpoint.
  await shards()
    .where({ _id: shardId, lease })
    .update({ lease: null, leaseUntil: new Date(0) })
  return result
}

/** Ticks until every run (or every one of `only`) is done or `deadline` (ms) comes; the progress of the runs seen. */
export async function runUntilDone(deadline: number, only?: ReadonlySet<string>): Promise<RunProgress[]> {
  const seen = new Map<string, RunProgress>()
  for (;;) {
    const { runs: progress, started } = await continueRuns(businessNow(), only)
    for (const one of progress) seen.set(one.key, one)
    // nothing started: every open shard is held by a worker (or a crashed one's lease), so a later tick goes on
    if (started === 0 || progress.every((one) => one.status === 'done') || Date.now() > deadline) return [...seen.values()]
  }
}

/** How often, and how long at most, runJob looks again while workers of other ticks hold its run's shards (a crashed one's lease holds for SHARD_LEASE_MS). */
const WAIT_FOR_WORKERS_MS = 250
const WAIT_AT_MOST_MS = 10_000

/**
 * Starts a run and works it until it is done or the invocation's deadline; its progress (the
 * minute timer finishes what is left). Workers another tick started on its shards (a second call
 * at the same time ticks every run) are waited for.
 */
export async function runJob(job: Job, key: string, params: Record<string, unknown>, now: Date, deadline: number): Promise<RunProgress> {
  await startRun(job, key, params, now)
  const waitUntil = Math.min(deadline, Date.now() + WAIT_AT_MOST_MS)
  // this run only: an admin call must not start (and wait on) the workers of a night's runs
  const only = new Set([key])
  for (;;) {
    const progress = (await runUntilDone(deadline, only)).find((one) => one.key === key) ?? ((await runProgress(key)) as RunProgress)
    if (progress.status === 'done' || Date.now() > waitUntil) return progress
    await new Promise((resolve) => setTimeout(resolve, WAIT_FOR_WORKERS_MS))
  }
}

/**
 * A sweep (every minute: unpaid orders, groups past their time …): continues the job's run that
 * is still going, else starts one keyed by this instant when there is work, else does nothing
 * (null; no run is written for a quiet minute).
 */
export async function startSweep(job: Job, params: Record<string, unknown>, now: Date): Promise<RunRecord | null> {
  const { data } = await runs().where({ job: job.name, status: 'running' }).limit(1).get()
  if (data[0]) return data[0] as RunRecord
  const run = await startRun(job, `${job.name}:${now.getTime().toString(36)}`, params, now, { maxShards: 1, recordEmpty: false })
  return run.status === 'running' ? run : null
}

/** Runs finished before `before` go, with their shards and findings (nightly; the console shows what is left). */
export async function trimRuns(before: Date): Promise<{ removed: number }> {
  const _ = database().command
  const { data } = await runs()
    .where({ status: 'done', finishedAt: _.lt(before) })
    .field({ _id: true })
    .limit(1000)
    .get()
  const keys = (data as { _id: string }[]).map((run) => run._id)
  if (keys.length === 0) return { removed: 0 }
  await shards()
    .where({ runKey: _.in(keys) })
    .remove()
  await findings()
    .where({ runKey: _.in(keys) })
    .remove()
  await runs()
    .where({ _id: _.in(keys) })
    .remove()
  return { removed: keys.length }
}
