/**
 * Committed state and its persistence in a data directory:
 *
 *   snapshot.ejson  one header line, then one line per collection / document (canonical EJSON)
 *   log.ejson       append-only; one line per committed batch of mutations (one atomic unit)
 *   LOCK            the pid of the process using the directory
 *
 * A batch is appended with `fs.writeSync` before it is applied in memory (and so before any
 * HTTP reply), so an acknowledged write survives `kill -9`. On open the snapshot is loaded, the
 * log replayed (a torn last line is ignored), a fresh snapshot written atomically (temp + rename)
 * and the log truncated; the same compaction runs when the log outgrows COMPACT_LOG_BYTES.
 */
import fs from 'node:fs'
import path from 'node:path'
import { EmulatorError } from '../errors'
import { Collection, idKeyOf } from './collection'
import { decodePersisted, encodeCanonical, type Doc } from './ejson'

/** One committed change: `doc` present → put (insert or replace); `doc` absent → delete `id`; neither → create the collection. */
export interface Mutation {
  c: string
  id?: unknown
  doc?: Doc
}

/** When the log grows past this, the next commit compacts it into a new snapshot. */
const COMPACT_LOG_BYTES = 64 * 1024 * 1024

const SNAPSHOT = 'snapshot.ejson'
const LOG = 'log.ejson'
const LOCK = 'LOCK'

/** fs.writeSync may write less than asked; loop until the whole text is in the file. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  let offset = 0
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset)
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class Store {
  readonly collections = new Map<string, Collection>()
  /** Bumped by every committed batch; the version of each document it touched. */
  private seq = 0
  private logFd: number | null = null
  private logBytes = 0
  private readonly lockPath: string

  private constructor(
    readonly dataDir: string,
    private readonly indexes: Record<string, string[]>,
  ) {
    this.lockPath = path.join(dataDir, LOCK)
  }

  static open(dataDir: string, indexes: Record<string, string[]>): Store {
    fs.mkdirSync(dataDir, { recursive: true })
    const store = new Store(dataDir, indexes)
    store.lock()
    try {
      store.load()
      store.compact()
      store.logFd = fs.openSync(path.join(dataDir, LOG), 'a')
    } catch (error) {
      store.unlock()
      throw error
    }
    return store
  }

  collection(name: string): Collection | undefined {
    return this.collections.get(name)
  }

  ensureCollection(name: string): Collection {
    let collection = this.collections.get(name)
    if (!collection) {
      collection = new Collection(name, this.indexes[name] ?? [])
      this.collections.set(name, collection)
    }
    return collection
  }

  /** Persists one batch as one log line, then applies it. Callers validate the batch first. */
  commit(batch: Mutation[]): void {
    if (batch.length === 0) return
    if (this.logFd === null) throw new EmulatorError('SYS_ERR', 'database is closed')
    const line = `${encodeCanonical({ m: batch })}\n`
    writeAll(this.logFd, line)
    this.logBytes += line.length
    this.apply(batch)
    if (this.logBytes > COMPACT_LOG_BYTES) {
      fs.closeSync(this.logFd)
      this.logFd = null
      this.compact()
      this.logFd = fs.openSync(path.join(this.dataDir, LOG), 'a')
    }
  }

  close(): void {
    if (this.logFd !== null) {
      fs.closeSync(this.logFd)
      this.logFd = null
      this.unlock()
    }
  }

  private apply(batch: Mutation[]): void {
    const version = ++this.seq
    for (const mutation of batch) {
      const collection = this.ensureCollection(mutation.c)
      if (mutation.doc) collection.put(idKeyOf(mutation.doc._id), mutation.doc, version)
      else if (mutation.id !== undefined) collection.delete(idKeyOf(mutation.id), version)
    }
  }

  private lock(): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(this.lockPath, 'wx')
        fs.writeSync(fd, String(process.pid))
        fs.closeSync(fd)
        return
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const holder = Number(fs.readFileSync(this.lockPath, 'utf8').trim())
      if (holder !== process.pid && pidAlive(holder)) {
        throw new EmulatorError('DATA_DIR_LOCKED', `data directory ${this.dataDir} is in use by process ${holder}`)
      }
      fs.rmSync(this.lockPath, { force: true }) // stale lock of a dead process: take it over
    }
    throw new EmulatorError('DATA_DIR_LOCKED', `could not lock data directory ${this.dataDir}`)
  }

  private unlock(): void {
    try {
      if (Number(fs.readFileSync(this.lockPath, 'utf8').trim()) === process.pid) fs.rmSync(this.lockPath)
    } catch {
      // already gone
    }
  }

  private load(): void {
    const snapshotPath = path.join(this.dataDir, SNAPSHOT)
    if (fs.existsSync(snapshotPath)) {
      const lines = fs.readFileSync(snapshotPath, 'utf8').split('\n')
      for (let i = 1; i < lines.length; i++) {
        if (!lines[i]) continue
        const entry = decodePersisted(lines[i]) as { c: string; d?: Doc }
        const collection = this.ensureCollection(entry.c)
        if (entry.d) collection.put(idKeyOf(entry.d._id), entry.d, 0)
      }
    }
    const logPath = path.join(this.dataDir, LOG)
    if (!fs.existsSync(logPath)) return
    const lines = fs.readFileSync(logPath, 'utf8').split('\n')
    lines.forEach((line, i) => {
      if (!line) return
      let batch: { m: Mutation[] }
      try {
        batch = decodePersisted(line) as { m: Mutation[] }
      } catch (error) {
        const last = lines.slice(i + 1).every((rest) => rest === '')
        if (last) {
          console.warn(`[emulator] ignoring torn last line of ${logPath}`)
          return
        }
        throw new Error(`corrupt line ${i + 1} in ${logPath}: ${(error as Error).message}`)
      }
      this.apply(batch.m)
    })
  }

  /** Writes the whole state as a new snapshot (temp file + rename), then empties the log. */
  private compact(): void {
    const snapshotPath = path.join(this.dataDir, SNAPSHOT)
    const tempPath = `${snapshotPath}.tmp-${process.pid}`
    const fd = fs.openSync(tempPath, 'w')
    try {
      let chunk = `${JSON.stringify({ format: 'cloudbase-emulator-snapshot', version: 1 })}\n`
      const flush = (force: boolean) => {
        if (chunk.length > (force ? 0 : 1 << 20)) {
          writeAll(fd, chunk)
          chunk = ''
        }
      }
      for (const collection of this.collections.values()) {
        chunk += `${encodeCanonical({ c: collection.name })}\n`
        for (const doc of collection.docs.values()) {
          chunk += `${encodeCanonical({ c: collection.name, d: doc })}\n`
          flush(false)
        }
      }
      flush(true)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tempPath, snapshotPath)
    // Replaying the old log over the new snapshot is harmless (puts and deletes of whole documents).
    fs.writeFileSync(path.join(this.dataDir, LOG), '')
    this.logBytes = 0
  }
}
