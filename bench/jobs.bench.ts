/**
 * The job runner at scale (run: node --import tsx bench/jobs.bench.ts). With 10 ms per database
 * call (the emulator's latency model), it times
 *   (a) an ordinary night over JOBS_BENCH_MEMBERS members (default 200,000): birthdays on a day
 *       that holds 1/365 of them, and the outbox trim of the 1 % whose outboxes hold copied
 *       entries;
 *   (b) a year-end night where each of JOBS_BENCH_YEAR_END members (default 20,000) has points
 *       expiring (and an old outbox entry to trim),
 * at widths 1, 8 and 32, side by side on the same data, and reports items per second, database
 * calls per item (counted by the emulator per invocation), the calls per second that implies, and
 * the projection to 5 million members. The emulator is one process on this machine: where its
 * own throughput, not the latency model, limits a width, the report says so.
 */
import { cpSync, rmSync } from 'node:fs'
import { startTestEmulator, makeTempDir, type TestEmulator } from '../tests/support/emulator'
import { adminApp, callerFor, invocations } from '../tests/support/functions'
import { importEntry, insertMembers } from '../tests/support/members'

const LATENCY_MS = 10
const MEMBERS = Number(process.env.JOBS_BENCH_MEMBERS) || 200_000
const YEAR_END = Number(process.env.JOBS_BENCH_YEAR_END) || 20_000
const WIDTHS = [1, 8, 32]
const TARGET = 5_000_000
const ITEM_CONCURRENCY = 10
const DAY_MS = 86_400_000
/** Every month-day of a year but 29 February, so each holds 1/365 of the members. */
const MONTH_DAYS = Array.from({ length: 365 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(5, 10))
const ORDINARY_DAY = '2026-04-10'
const YEAR_END_DAY = '2026-05-10'

interface Measured {
  night: string
  width: number
  items: number
  seconds: number
  calls: number
}

function shanghaiNoon(day: string): string {
  return new Date(Date.parse(`${day}T02:00:00+08:00`)).toISOString()
}

/** Two snapshots of the data: the members of an ordinary night, and the same plus the year-end members. */
async function prepare(ordinaryDir: string, yearEndDir: string): Promise<void> {
  let emulator = await startTestEmulator({ dataDir: ordinaryDir, seed: true })
  await adminApp(emulator.adminUrl).database().collection('coupon_templates').doc('gift-mask').update({ total: 100_000_000 })
  const started = Date.now()
  const batch = 20_000
  for (let made = 0; made < MEMBERS; made += batch) {
    const count = Math.min(batch, MEMBERS - made)
    await insertMembers(emulator.adminUrl, count, {
      label: 'night',
      // 1 % hold a day-old imported entry in their outbox (copied to the ledger: the trim's work)
      opening: (memberId) => (Number.parseInt(memberId.slice(2, 6), 16) % 100 === 0 ? [importEntry(memberId, { balance: 100 }, new Date(Date.now() - DAY_MS))] : []),
      // birthdays spread over 365 days: 1/365 of the members on the bench's day
      fields: (index) => ({ birthdayMonthDay: MONTH_DAYS[(made + index) % MONTH_DAYS.length] }),
    })
    process.stdout.write(`  inserted ${made + count} members (${((Date.now() - started) / 1000).toFixed(0)} s)\n`)
  }
  await emulator.stop()
  cpSync(ordinaryDir, yearEndDir, { recursive: true })
  emulator = await startTestEmulator({ dataDir: yearEndDir, startTimeoutMs: 300_000 })
  // year-end members: a lot earned two years ago, still in the outbox as imported
  const twoYearsAgo = new Date(Date.UTC(new Date().getUTCFullYear() - 2, 5, 1))
  await insertMembers(emulator.adminUrl, YEAR_END, { label: 'yearend', opening: (memberId) => [importEntry(memberId, { points: 500 }, twoYearsAgo)] })
  process.stdout.write(`  inserted ${YEAR_END} year-end members (${((Date.now() - started) / 1000).toFixed(0)} s)\n`)
  await emulator.stop()
}

async function night(emulator: TestEmulator, day: string, keyPrefixes: string[]): Promise<{ items: number; seconds: number; calls: number }> {
  const before = new Set((await invocations(emulator.url, { function: 'jobs', last: 5000 })).map((one) => one.id))
  const started = Date.now()
  const timer = callerFor(emulator.adminUrl, null, 900_000)
  await timer.raw('jobs', { Type: 'Timer', TriggerName: 'nightly', Time: shanghaiNoon(day) })
  const progress = async () => Promise.all(keyPrefixes.map(async (prefix) => (await callerFor(emulator.adminUrl, null).ok('admin', 'jobRun', { key: `${prefix}${day}` })).run))
  for (let tick = 0; tick < 200 && (await progress()).some((run) => run.status !== 'done'); tick++) {
    await timer.raw('jobs', { Type: 'Timer', TriggerName: 'minutely' })
  }
  const seconds = (Date.now() - started) / 1000
  const runs = await progress()
  const calls = (await invocations(emulator.url, { function: 'jobs', last: 5000 })).filter((one) => !before.has(one.id)).reduce((sum, one) => sum + one.adminCalls, 0)
  return { items: runs.reduce((sum, run) => sum + run.items, 0), seconds, calls }
}

async function main() {
  const ordinaryDir = makeTempDir('jobs-bench-ordinary-')
  const yearEndDir = makeTempDir('jobs-bench-yearend-')
  console.log(`jobs bench: ${MEMBERS} members (ordinary night), ${YEAR_END} year-end members more, ${LATENCY_MS} ms per database call, widths ${WIDTHS.join(', ')}`)
  await prepare(ordinaryDir, yearEndDir)
  const measured: Measured[] = []
  const cutoffYear = new Date().getUTCFullYear() - 1
  for (const width of WIDTHS) {
    for (const [name, snapshot, day, keys] of [
      ['ordinary', ordinaryDir, ORDINARY_DAY, ['birthdays:', 'trim:']],
      ['year-end', yearEndDir, YEAR_END_DAY, [`expiry:${cutoffYear}:`, 'birthdays:', 'trim:']],
    ] as const) {
      // every width starts from the same snapshot
      const dataDir = makeTempDir('jobs-bench-run-')
      cpSync(snapshot, dataDir, { recursive: true })
      const emulator = await startTestEmulator({ dataDir, startTimeoutMs: 300_000, env: { EMULATOR_DB_LATENCY_MS: String(LATENCY_MS), JOB_WIDTH: String(width) } })
      try {
        measured.push({ night: name, width, ...(await night(emulator, day, [...keys])) })
      } finally {
        await emulator.stop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  }
  rmSync(ordinaryDir, { recursive: true, force: true })
  rmSync(yearEndDir, { recursive: true, force: true })
  console.log('\nnight | width | items | seconds | items/s | calls/item | calls/s | latency-only items/s | items at 5M members | minutes for 5M members (measured) | (latency-only)')
  for (const row of measured) {
    const perSecond = row.items / row.seconds
    const callsPerItem = row.items > 0 ? row.calls / row.items : 0
    const modelled = callsPerItem > 0 ? (row.width * ITEM_CONCURRENCY * 1000) / (callsPerItem * LATENCY_MS) : 0
    // items scale with the members that have work: all members on an ordinary night, the expiring ones at year end (each also has an outbox to trim)
    const items5M = (row.items * TARGET) / (row.night === 'ordinary' ? MEMBERS : YEAR_END)
    console.log(
      [
        row.night,
        row.width,
        row.items,
        row.seconds.toFixed(1),
        perSecond.toFixed(0),
        callsPerItem.toFixed(2),
        (row.calls / row.seconds).toFixed(0),
        modelled.toFixed(0),
        Math.round(items5M),
        (items5M / perSecond / 60).toFixed(1),
        modelled > 0 ? (items5M / modelled / 60).toFixed(1) : '-',
      ].join(' | '),
    )
  }
  console.log('\nWhere the latency-only rate is well above the measured one, this machine (one emulator process) was the limit, not the 10 ms calls.')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
