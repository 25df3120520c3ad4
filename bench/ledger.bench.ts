/**
 * Ledger throughput through the real SDK and the emulator (run: node --import tsx bench/ledger.bench.ts):
 *  1. counter purchases per second with 1, 10 and 100 concurrent clients (clerks' phones),
 *     each purchase a full staff.recordPurchase (staff check, member read, atomic apply, ledger copy, log);
 *  2. the invariant check (admin.checkInvariants) over 100k ledger entries.
 * Bounded: each figure runs a fixed time, the whole bench stops by itself in a few minutes.
 */
import { DEMO_CLERK_OPENID } from '../emulator/seed'
import { startTestEmulator } from '../tests/support/emulator'
import { adminApp, callerFor, invocations, newOpenid, requestId } from '../tests/support/functions'

const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 5000)

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function main() {
  const emulator = await startTestEmulator({ seed: true })
  const url = emulator.adminUrl
  try {
    const clerk = callerFor(url, DEMO_CLERK_OPENID)
    // 100 members, each scanned once: clients spread over members as real counters do.
    const tokens: string[] = []
    for (let i = 0; i < 100; i++) {
      const member = callerFor(url, newOpenid('bench'))
      await member.ok('member', 'join', {})
      const { code } = await member.ok('member', 'card', {})
      tokens.push((await clerk.ok('staff', 'verifyMemberCode', { code })).counterToken)
    }
    await clerk.ok('staff', 'recordPurchase', { counterToken: tokens[0], amount: 100, payMethod: 'cash', requestId: requestId() })

    console.log('\nCounter purchases (staff.recordPurchase, real SDK → emulator, loopback, 2 cores shared by client and server)')
    console.log('clients | purchases/s | p50 ms | p99 ms | failed | db calls per purchase')
    for (const clients of [1, 10, 100]) {
      const latencies: number[] = []
      let failed = 0
      const deadline = Date.now() + RUN_MS
      const started = Date.now()
      await Promise.all(
        Array.from({ length: clients }, async (_, client) => {
          let n = 0
          while (Date.now() < deadline) {
            const t = performance.now()
            const answer = await clerk.call('staff', 'recordPurchase', {
              counterToken: tokens[(client + n++ * clients) % tokens.length],
              amount: 1000 + (n % 50) * 100,
              payMethod: 'cash',
              requestId: requestId(),
            })
            latencies.push(performance.now() - t)
            if (!answer.ok) failed++
          }
        }),
      )
      const seconds = (Date.now() - started) / 1000
      latencies.sort((a, b) => a - b)
      const recent = await invocations(emulator.url, { function: 'staff', last: 50 })
      const calls = recent.filter((entry) => entry.action === 'recordPurchase').map((entry) => entry.adminCalls)
      const meanCalls = calls.reduce((sum, value) => sum + value, 0) / Math.max(1, calls.length)
      console.log(
        `${String(clients).padStart(7)} | ${(latencies.length / seconds).toFixed(0).padStart(11)} | ${percentile(latencies, 50).toFixed(1).padStart(6)} | ${percentile(latencies, 99).toFixed(1).padStart(6)} | ${String(failed).padStart(6)} | ${meanCalls.toFixed(1)}`,
      )
    }

    // 100k ledger entries over 1,000 members whose cached balances match them.
    const db = adminApp(url).database()
    const members = 1000
    const perMember = 100
    const t0 = Date.now()
    for (let m = 0; m < members; m++) {
      const memberId = `m_bench_${m}`
      const entries = Array.from({ length: perMember }, (_, i) => ({
        _id: `bench:${memberId}:${i}`,
        memberId,
        kind: 'grant',
        points: 10,
        balance: i % 10 === 0 ? 500 : 0,
        growth: 0,
        requestId: `bench-${m}-${i}`,
        businessDay: '2026-11-25',
        createdAt: new Date(Date.UTC(2026, 10, 24, 0, 0, i)),
        description: 'bench',
      }))
      await db.collection('ledger').add(entries)
      await db.collection('members').add({
        _id: memberId,
        openid: `o_bench_${m}`,
        memberNo: String(20000000 + m),
        nickname: `bench${m}`,
        status: 'active',
        points: perMember * 10,
        pointsOwed: 0,
        balance: (perMember / 10) * 500,
        growth: 0,
        entryCount: 0,
        outbox: {},
      })
    }
    console.log(`\nLoaded ${members * perMember} ledger entries for ${members} members in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    const console_ = callerFor(url, null)
    const memberIds = Array.from({ length: members }, (_, m) => `m_bench_${m}`)
    const t1 = performance.now()
    const checked = await console_.ok('admin', 'checkInvariants', { memberIds })
    const elapsed = performance.now() - t1
    console.log(`admin.checkInvariants over ${members * perMember} entries (${checked.checked} members): ${(elapsed / 1000).toFixed(2)} s, ${checked.violations.length} violations`)
  } finally {
    await emulator.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
