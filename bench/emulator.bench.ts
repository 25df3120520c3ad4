/**
 * Emulator benchmark through the real @cloudbase/node-sdk on loopback.
 *
 *   node --import tsx bench/emulator.bench.ts
 *
 * Spawns an emulator on a fresh temp data dir (collection `bench` indexed on `u` via
 * EMULATOR_INDEXES), inserts 100k documents, then measures latency (p50/p99) and throughput
 * with 16 concurrent clients for each operation. Finishes by itself in well under 3 minutes.
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { startTestEmulator, type TestEmulator } from '../tests/support/emulator'

const DOCS = 100_000
const BATCH = 1_000
const INSERT_CONCURRENCY = 4
const CLIENTS = 16
const SECONDS_PER_FIGURE = 2.5
const WATCHDOG_MS = 170_000

process.env.SILENCE = 'true' // no "slow query" warnings from the SDK

type Db = ReturnType<ReturnType<TestEmulator['app']>['database']>

interface Figure {
  name: string
  ops: number
  seconds: number
  p50: number
  p99: number
  errors: number
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** Runs `operation` from CLIENTS concurrent loops for SECONDS_PER_FIGURE seconds. */
async function measure(name: string, operation: (client: number) => Promise<unknown>): Promise<Figure> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const deadline = started + SECONDS_PER_FIGURE * 1000
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_unused, client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        try {
          await operation(client)
          latencies.push(performance.now() - t0)
        } catch (error) {
          if (errors++ === 0) console.error(`${name}: ${(error as Error).message}`)
        }
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { name, ops: latencies.length, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors }
}

function rawPost(agent: http.Agent, adminUrl: string, body: string): Promise<void> {
  const url = new URL(`${adminUrl}?env=local&seqId=bench`)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const reply = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          if (res.statusCode !== 200 || reply.code) reject(new Error(`HTTP ${res.statusCode} ${reply.code ?? ''}`))
          else resolve()
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function insertAll(db: Db): Promise<number> {
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: INSERT_CONCURRENCY }, async () => {
      while (next < DOCS) {
        const from = next
        next += BATCH
        const docs = Array.from({ length: BATCH }, (_unused, j) => {
          const i = from + j
          return { _id: `d${i}`, k: i % 1000, u: `u${i}`, v: i }
        })
        await db.collection('bench').add(docs)
      }
    }),
  )
  return (performance.now() - started) / 1000
}

function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [f.name, (f.ops / f.seconds).toFixed(0), f.p50.toFixed(2), f.p99.toFixed(2), String(f.ops), String(f.errors)])
  const header = ['operation (16 concurrent clients)', 'ops/s', 'p50 ms', 'p99 ms', 'ops', 'errors']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const row of rows) console.log(line(row))
}

async function main() {
  const emulator = await startTestEmulator({ env: { EMULATOR_INDEXES: JSON.stringify({ bench: ['u'] }) } })
  const watchdog = setTimeout(() => {
    console.error('benchmark took too long; stopping')
    emulator.process.kill('SIGKILL')
    process.exit(1)
  }, WATCHDOG_MS)
  try {
    const apps = Array.from({ length: CLIENTS }, () => emulator.app().database())
    const db = apps[0]
    const _ = db.command
    const insertSeconds = await insertAll(db)
    const total = (await db.collection('bench').count()).total
    console.log(`inserted ${total} documents in ${insertSeconds.toFixed(1)} s (${(DOCS / insertSeconds).toFixed(0)} docs/s, batches of ${BATCH}, ${INSERT_CONCURRENCY} in flight)`)

    const random = () => Math.floor(Math.random() * DOCS)
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS })
    const emptyCount = JSON.stringify({ action: 'database.calculateDocument', collectionName: 'empty', queryType: 'WHERE' })
    const figures: Figure[] = []
    figures.push(await measure('raw HTTP POST /admin (count on empty)', () => rawPost(agent, emulator.adminUrl, emptyCount)))
    figures.push(await measure('SDK count() on empty collection', (c) => apps[c].collection('empty').count()))
    figures.push(await measure('SDK doc(id).get()', (c) => apps[c].collection('bench').doc(`d${random()}`).get()))
    figures.push(
      await measure('SDK where({u}).get() (indexed)', (c) =>
        apps[c]
          .collection('bench')
          .where({ u: `u${random()}` })
          .get(),
      ),
    )
    figures.push(
      await measure('SDK where({k}).limit(1).get() (scan 100k)', (c) =>
        apps[c]
          .collection('bench')
          .where({ k: random() % 1000 })
          .limit(1)
          .get(),
      ),
    )
    figures.push(
      await measure('SDK doc(id).update({v: _.inc(1)})', (c) =>
        apps[c]
          .collection('bench')
          .doc(`d${random()}`)
          .update({ v: _.inc(1) }),
      ),
    )
    agent.destroy()
    console.log('')
    printTable(figures)
  } finally {
    clearTimeout(watchdog)
    await emulator.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
