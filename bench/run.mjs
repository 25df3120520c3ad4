#!/usr/bin/env node
// Runs every benchmark in order, streaming their output (`npm run bench`):
//   1. bench/emulator.bench.ts    (database actions through the SDK; indexed vs scan; HTTP floor)
//   2. bench/functions.bench.ts   (cloud function bundle sizes and cold require times)
//   3. bench/ledger.bench.ts      (counter purchases/s with 1, 10, 100 clients; invariant check over 100k entries)
//   4. bench/round-trips.bench.ts (database calls per hot path)
//   5. bench/flash-sale.bench.ts  (flash sale with 2,000 and 10,000 concurrent members)
//   6. bench/jobs.bench.ts        (job runner: ordinary and year-end nights at widths 1, 8, 32 with 10 ms per call)
//   7. npm run build:weapp        (weapp build; prints main-package and total size)
// Each step runs even if an earlier one failed; exits non-zero if any step failed.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const steps = [
  { name: 'emulator bench', file: 'bench/emulator.bench.ts', command: process.execPath, args: ['--import', 'tsx', 'bench/emulator.bench.ts'] },
  { name: 'functions bench', file: 'bench/functions.bench.ts', command: process.execPath, args: ['--import', 'tsx', 'bench/functions.bench.ts'] },
  { name: 'ledger bench', file: 'bench/ledger.bench.ts', command: process.execPath, args: ['--import', 'tsx', 'bench/ledger.bench.ts'] },
  { name: 'round trips', file: 'bench/round-trips.bench.ts', command: process.execPath, args: ['--import', 'tsx', 'bench/round-trips.bench.ts'] },
  { name: 'flash-sale bench', file: 'bench/flash-sale.bench.ts', command: process.execPath, args: ['--import', 'tsx', 'bench/flash-sale.bench.ts'] },
  { name: 'jobs bench', file: 'bench/jobs.bench.ts', command: process.execPath, args: ['--import', 'tsx', 'bench/jobs.bench.ts'] },
  { name: 'weapp build size', command: npm, args: ['run', 'build:weapp'], shell: process.platform === 'win32' },
]

const results = []
for (const step of steps) {
  if (step.file && !existsSync(path.join(root, step.file))) {
    console.log(`\n=== ${step.name}: skipped (${step.file} not found)`)
    results.push({ name: step.name, outcome: 'skipped' })
    continue
  }
  console.log(`\n=== ${step.name}: ${[path.basename(step.command), ...step.args].join(' ')}`)
  const started = Date.now()
  const child = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit', shell: step.shell ?? false })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  let outcome = 'ok'
  if (child.error) outcome = `failed (${child.error.message})`
  else if (child.signal) outcome = `failed (signal ${child.signal})`
  else if (child.status !== 0) outcome = `failed (exit ${child.status})`
  results.push({ name: step.name, outcome: `${outcome}, ${seconds} s` })
}

console.log('\n=== summary')
for (const r of results) console.log(`${r.name}: ${r.outcome}`)
process.exit(results.some((r) => r.outcome.startsWith('failed')) ? 1 : 0)
