/**
 * Flash-sale stampede through the real SDK and the emulator (on demand, not in `npm test`):
 *
 *   node --import tsx bench/flash-sale.bench.ts
 *
 * For 2,000 and 10,000 members (inserted directly, the shape member.join writes) and a sale with
 * stock 100 and one with stock 1,000: every member sends one promo.flashBuy at the same moment
 * (one Promise.all). Reported per scenario: wall time, successful and refused attempts per second
 * (count / wall time), p50 and p99 latency of wins and of refusals as the client saw them, and the
 * database calls per attempt from the emulator's invocation log. Then the stock is checked: exactly
 * `stock` orders, stock 0, sold = stock, nobody over the limit of 1.
 *
 * "cold" members were never seen by the function instance, so a win also reads the card status
 * (3 calls); "warm" members opened the sale list within the last minute (2 calls).
 * Bounded: about a minute or two on 2 cores; client and emulator share the machine.
 */
import { EventEmitter } from 'node:events'
import type { Invocation } from '../emulator/functions'
import { insertMembers as insertBulkMembers } from '../tests/support/members'
import { startTestEmulator, type TestEmulator } from '../tests/support/emulator'
import { AT_STORE, adminApp, callerFor, invocations, requestId } from '../tests/support/functions'

EventEmitter.defaultMaxListeners = 0
const HARD_LIMIT_MS = 170_000

interface Member {
  openid: string
  memberId: string
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const insertMembers = (emulator: TestEmulator, count: number): Promise<Member[]> => insertBulkMembers(emulator.adminUrl, count, { label: 'bench' })

let saleNo = 0
async function insertSale(emulator: TestEmulator, stock: number): Promise<string> {
  const _id = `fs-bench-${++saleNo}`
  const now = Date.now()
  await adminApp(emulator.adminUrl)
    .database()
    .collection('flash_sales')
    .add({
      _id,
      title: `压测秒杀 ${saleNo}`,
      image: null,
      price: 990,
      listPrice: 2990,
      stock,
      sold: 0,
      perMemberLimit: 1,
      startAt: new Date(now - 60_000),
      endAt: new Date(now + 3_600_000),
      fulfilment: ['pickup', 'delivery'],
    })
  return _id
}

interface Row {
  members: number
  stock: number
  card: string
  wallMs: number
  /** when the last winning attempt was answered, from the start */
  soldOutMs: number
  wins: number
  refused: number
  errors: number
  winP50: number
  winP99: number
  refusedP50: number
  refusedP99: number
  winCalls: string
  refusedCalls: string
  exact: boolean
}

async function scenario(emulator: TestEmulator, members: Member[], stock: number, card: 'cold' | 'warm'): Promise<Row> {
  const saleId = await insertSale(emulator, stock)
  const callers = members.map((member) => callerFor(emulator.adminUrl, member.openid))
  if (card === 'warm') {
    for (let i = 0; i < callers.length; i += 200) await Promise.all(callers.slice(i, i + 200).map((caller) => caller.ok('promo', 'flashSales', {})))
  }
  const winLatency: number[] = []
  const refusedLatency: number[] = []
  let errors = 0
  let lastWinMs = 0
  // The emulator keeps its last 5,000 invocations: poll while the stampede runs so none is missed.
  const seen = new Map<string, Invocation>()
  const collect = async () => {
    for (const entry of await invocations(emulator.url, { function: 'promo', last: 5000 })) seen.set(entry.id, entry)
  }
  const poller = setInterval(() => void collect().catch(() => undefined), 250)
  const startedAt = Date.now()
  const started = performance.now()
  await Promise.all(
    callers.map(async (caller) => {
      const t = performance.now()
      try {
        const answer = await caller.call('promo', 'flashBuy', { fulfilment: AT_STORE, saleId, requestId: requestId() })
        const done = performance.now()
        if (answer.ok) {
          winLatency.push(done - t)
          lastWinMs = Math.max(lastWinMs, done - started)
        } else {
          refusedLatency.push(done - t)
          if (answer.error.message !== '已抢光') errors++
        }
      } catch {
        errors++
      }
    }),
  )
  const wallMs = performance.now() - started
  winLatency.sort((a, b) => a - b)
  refusedLatency.sort((a, b) => a - b)

  clearInterval(poller)
  await collect()
  const log = [...seen.values()].filter((entry) => entry.action === 'flashBuy' && entry.startedAt >= startedAt)
  const calls = (outcome: 'ok' | 'error') => {
    const counts = log.filter((entry) => entry.outcome === outcome).map((entry) => entry.adminCalls)
    if (counts.length === 0) return '-'
    return `${(counts.reduce((sum, value) => sum + value, 0) / counts.length).toFixed(2)} (max ${Math.max(...counts)}, n ${counts.length})`
  }
  const winCalls = calls('ok')
  const refusedCalls = calls('error')

  const db = adminApp(emulator.adminUrl).database()
  const { data } = await db.collection('flash_sales').doc(saleId).get()
  const sale = data[0] as { stock: number; sold: number }
  const orders: { memberId: string }[] = []
  for (let skip = 0; ; skip += 1000) {
    const page = await db.collection('orders').where({ 'stock.id': saleId }).field({ memberId: true }).skip(skip).limit(1000).get()
    orders.push(...(page.data as { memberId: string }[]))
    if (page.data.length < 1000) break
  }
  const exact = sale.stock === 0 && sale.sold === stock && orders.length === stock && new Set(orders.map((order) => order.memberId)).size === stock
  return {
    members: members.length,
    stock,
    card,
    wallMs,
    wins: winLatency.length,
    refused: refusedLatency.length,
    errors,
    winP50: percentile(winLatency, 50),
    winP99: percentile(winLatency, 99),
    refusedP50: percentile(refusedLatency, 50),
    refusedP99: percentile(refusedLatency, 99),
    soldOutMs: lastWinMs,
    winCalls,
    refusedCalls,
    exact,
  }
}

function printTable(rows: Row[]): void {
  const header = [
    'members',
    'stock',
    'card',
    'wall s',
    'sold out s',
    'wins/s',
    'refused/s',
    'win p50/p99 ms',
    'refused p50/p99 ms',
    'db calls per win',
    'db calls per refusal',
    'errors',
    'stock exact',
  ]
  const lines = rows.map((row) => [
    row.members.toLocaleString('en-US'),
    row.stock.toLocaleString('en-US'),
    row.card,
    (row.wallMs / 1000).toFixed(1),
    (row.soldOutMs / 1000).toFixed(1),
    (row.wins / (row.soldOutMs / 1000)).toFixed(0),
    (row.refused / (row.wallMs / 1000)).toFixed(0),
    `${row.winP50.toFixed(0)} / ${row.winP99.toFixed(0)}`,
    `${row.refusedP50.toFixed(0)} / ${row.refusedP99.toFixed(0)}`,
    row.winCalls,
    row.refusedCalls,
    String(row.errors),
    row.exact ? 'yes' : 'NO',
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)))
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`
  console.log(format(header))
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`)
  for (const line of lines) console.log(format(line))
}

async function main() {
  const hardStop = setTimeout(() => {
    console.error(`flash-sale bench: gave up after ${HARD_LIMIT_MS / 1000} s`)
    process.exit(2)
  }, HARD_LIMIT_MS)
  hardStop.unref()
  const emulator = await startTestEmulator({ seed: true })
  try {
    const t0 = Date.now()
    const pool = await insertMembers(emulator, 2 * 10_000 + 3 * 2_000)
    console.log(`inserted ${pool.length.toLocaleString('en-US')} members in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    // Every scenario gets members who have not bought yet (the limit is 1 per member per sale anyway).
    const take = (() => {
      let next = 0
      return (count: number) => pool.slice(next, (next += count))
    })()
    const rows: Row[] = []
    for (const [members, stock, card] of [
      [2_000, 100, 'cold'],
      [2_000, 1_000, 'cold'],
      [2_000, 100, 'warm'],
      [10_000, 100, 'cold'],
      [10_000, 1_000, 'cold'],
    ] as const) {
      const row = await scenario(emulator, take(members), stock, card)
      rows.push(row)
      console.log(`  ${members} members, stock ${stock} (${card}): ${(row.wallMs / 1000).toFixed(1)} s, ${row.wins} wins, ${row.refused} refused, ${row.errors} errors`)
    }
    console.log('\nFlash sale: every member sends one promo.flashBuy at once (real SDK → emulator over loopback; client and emulator share the CPUs)\n')
    printTable(rows)
  } finally {
    await emulator.stop()
    clearTimeout(hardStop)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
