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
import type { JobRunView } from '../../domain/contract'
import { businessNow } from './clock'
import { cloudApp, database, isDuplicateKey } from './cloud'
import { mapLimit } from './jobs'

export interface Job<P = Record<string, unknown>> {
  name: string
  collection: string
  /** the documents that have work, by an index: an ordinary night costs what its work costs */
  where(params: P, now: Date): Record<string, unknown>
  fields?: Record<string, boolean>
  /** one document's work, idempotent: how much it changed (points expired, entries trimmed …), 0 for nothing */
  work(document: { _id: string } & Record<string, unknown>, params: P, now: Date): Promise<number>
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
  status: 'running' | 'done'
  startedAt: Date
  finishedAt: Date | null
}

export interface ShardRecord {
  _id: string
  runKey: string
  index: number
  /** the range of `_id`: from < _id < to, after the checkpoint `cursor` */
  from: string
  to: string
  cursor: string
  status: 'open' | 'done'
  leaseUntil: Date
  lease: string | null
  items: number
  /** documents the work changed something on */
  touched: number
  changed: number
  errors: number
  lastError: string | null
  attempts: number
}

export type RunProgress = JobRunView

/** A worker holds its shard this long after each checkpoint; well below the jobs function's 900 s. */
export const SHARD_LEASE_MS = 120_000
/** A run's width (concurrent workers): the setting JOB_WIDTH (cloudbaserc.json envVariables of `jobs`), else this. */
export const DEFAULT_WIDTH = 8
export const MAX_WIDTH = 64
const PAGE = 500
const WORKER_EVENT = 'JobWorker'

const runs = () => database().collection('job_runs')
const shards = () => database().collection('job_shards')

/**
 * `count` ranges of `_id` covering every string: the first from '' and the last to '\uffff', the
 * cuts at `prefix` + two hex digits (member ids are `m_` + hex), so members spread evenly.
 */
export function hexShards(prefix: string, count: number): { from: string; to: string }[] {
  const n = Math.max(1, Math.min(256, Math.floor(count)))
  const cut = (i: number) =>
    `${prefix}${Math.floor((i * 256) / n)
      .toString(16)
      .padStart(2, '0')}`
  return Array.from({ length: n }, (_, i) => ({ from: i === 0 ? '' : cut(i), to: i === n - 1 ? '\uffff' : cut(i + 1) }))
}

/** Documents per shard a run aims at when it is not told how many shards to cut, and the fewest worth a worker of its own. */
const DOCUMENTS_PER_SHARD = 2000
const MIN_PER_SHARD = 100

/**
 * Starts the run `key` of `job`, or finds it started: the same key is the same run, whatever its
 * params. Without `shards`, one count of the documents with work decides: DOCUMENTS_PER_SHARD
 * each, but at least one shard per worker of the width (MIN_PER_SHARD each), at most 256.
 */
export async function startRun(job: Job, key: string, params: Record<string, unknown>, now: Date, options: { width?: number; shards?: number } = {}): Promise<RunRecord> {
  const existing = (await runs().doc(key).get()).data[0] as RunRecord | undefined
  if (existing) return completeShards(existing)
  const width = Math.max(1, Math.min(MAX_WIDTH, Math.floor(options.width ?? (Number(process.env.JOB_WIDTH) || DEFAULT_WIDTH))))
  const documents = options.shards === undefined ? (await database().collection(job.collection).where(job.where(params, now)).count()).total : 0
  // enough shards for every worker of the width once there are MIN_PER_SHARD documents each; a night with nothing to do is a run done at once
  const count = options.shards ?? Math.max(Math.ceil(documents / DOCUMENTS_PER_SHARD), Math.min(width, Math.ceil(documents / MIN_PER_SHARD)))
  const ranges = count > 0 ? hexShards('m_', count) : []
  const run: RunRecord = {
    _id: key,
    job: job.name,
    params,
    width,
    shards: ranges.length,
    status: ranges.length > 0 ? 'running' : 'done',
    startedAt: now,
    finishedAt: ranges.length > 0 ? null : now,
  }
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
  await mapLimit(hexShards('m_', run.shards), 16, async (range, index) => {
    const shard: ShardRecord = {
      _id: `${run._id}#${index}`,
      runKey: run._id,
      index,
      ...range,
      cursor: range.from,
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
export async function continueRuns(now: Date): Promise<{ runs: RunProgress[]; started: number }> {
  const { data } = await runs().where({ status: 'running' }).limit(100).get()
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
  let cursor = doc.cursor
  for (;;) {
    if (Date.now() > deadline) break
    const now = businessNow()
    const { data: page } = await database()
      .collection(job.collection)
      .where({ ...job.where(run.params, now), _id: _.gt(cursor).and(_.lt(doc.to)) })
      .orderBy('_id', 'asc')
      .field({ _id: true, ...(job.fields ?? {}) })
      .limit(PAGE)
      .get()
    const documents = page as ({ _id: string } & Record<string, unknown>)[]
    let changed = 0
    let touched = 0
    let errors = 0
    let lastError: string | null = null
    // Items are taken in order and none is taken after the deadline, so what was worked is a prefix of the page.
    let taken = 0
    const worker = async () => {
      while (taken < documents.length && Date.now() <= deadline) {
        const document = documents[taken++]
        try {
          const change = await job.work(document, run.params, now)
          changed += change
          if (change > 0) touched++
        } catch (error) {
          errors++
          lastError = `${document._id}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300)
          console.error(`[jobs] ${run.job} ${document._id}`, error)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(job.concurrency ?? 10, documents.length) }, worker))
    const finished = taken === documents.length && documents.length < PAGE
    if (taken > 0) cursor = documents[taken - 1]._id
    const checkpoint: Record<string, unknown> = {
      cursor,
      items: _.inc(taken),
      touched: _.inc(touched),
      changed: _.inc(changed),
      errors: _.inc(errors),
      leaseUntil: new Date(businessNow().getTime() + SHARD_LEASE_MS),
    }
    if (lastError) checkpoint.lastError = lastError
    if (finished) Object.assign(checkpoint, { status: 'done', lease: null, leaseUntil: new Date(0) })
    // Under its own lease only: a worker whose lease passed (and was taken over) commits nothing.
    const { updated } = await shards()
      .where({ _id: shardId, lease, leaseUntil: _.gt(businessNow()) })
      .update(checkpoint)
    if (updated !== 1) return result
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

/** Ticks until every run is done or `deadline` (ms) comes; the progress of the runs seen. */
export async function runUntilDone(deadline: number): Promise<RunProgress[]> {
  const seen = new Map<string, RunProgress>()
  for (;;) {
    const { runs: progress, started } = await continueRuns(businessNow())
    for (const one of progress) seen.set(one.key, one)
    // nothing started: every open shard is held by a worker (or a crashed one's lease), so a later tick goes on
    if (started === 0 || progress.every((one) => one.status === 'done') || Date.now() > deadline) return [...seen.values()]
  }
}

/** Starts a run and works it until it is done or the invocation's deadline; its progress (the minute timer finishes what is left). */
export async function runJob(job: Job, key: string, params: Record<string, unknown>, now: Date, deadline: number): Promise<RunProgress> {
  await startRun(job, key, params, now)
  const seen = (await runUntilDone(deadline)).find((one) => one.key === key)
  return seen ?? ((await runProgress(key)) as RunProgress)
}
