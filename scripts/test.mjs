#!/usr/bin/env node
// `npm test`: everything, in the order a failure is cheapest to find:
// typecheck → layers and cycles (dependency-cruiser) → lint (eslint) → format (prettier --check) → bundle functions → build weapp → weapp size budgets → build h5 → jest (domain, emulator conformance,
// functions through the real SDK, miniprogram-simulate, browser journeys in Chromium).
// Extra arguments go to jest, e.g. `npm test -- tests/domain`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const jestArgs = process.argv.slice(2)

/** Every stage run so far, for the closing table: { title, ok, seconds }. */
const timings = []

function step(title, command, args, env = {}) {
  const started = Date.now()
  console.log(`\n▶ ${title}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  const seconds = (Date.now() - started) / 1000
  const ok = result.status === 0
  timings.push({ title, ok, seconds })
  console.log(`  ${title}: ${ok ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s`)
  return result.status ?? 1
}

/** Every stage's time (stages after a failure show as skipped), and the total, as a table. */
function timingTable(titles) {
  const width = Math.max(...titles.map((title) => title.length), 'total'.length)
  const row = (title, status, time) => `  ${title.padEnd(width)}  ${status.padEnd(7)}  ${time.padStart(9)}`
  const seconds = (value) => `${value.toFixed(1)} s`
  console.log('\nstage times')
  for (const title of titles) {
    const timing = timings.find((t) => t.title === title)
    console.log(timing ? row(title, timing.ok ? 'ok' : 'FAILED', seconds(timing.seconds)) : row(title, 'skipped', '-'))
  }
  const ok = timings.length === titles.length && timings.every((t) => t.ok)
  console.log(row('total', ok ? 'ok' : 'FAILED', seconds(timings.reduce((sum, t) => sum + t.seconds, 0))))
}

/** One plain closing line for whoever reads the log: `tests: N passed, N failed`. */
function summarise(report) {
  if (!existsSync(report)) return
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, 'utf8'))
  console.log(`tests: ${numPassedTests} passed, ${numFailedTests} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''}`)
}

const report = path.join(root, 'test-artifacts', 'jest-report.json')

/**
 * The stages, in order; the first failure stops the run. Add a stage by adding a line:
 * [title, command, args, extra env?].
 */
const stages = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['layers and cycles', 'npm', ['run', '--silent', 'check:layers']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['format', 'npm', ['run', '--silent', 'format:check']],
  ['bundle cloud functions', process.execPath, ['scripts/build-functions.mjs']],
  ['build weapp', 'npx', ['taro', 'build', '--type', 'weapp']],
  ['weapp size budgets', process.execPath, ['scripts/weapp-size.mjs']],
  ['build h5', 'npx', ['taro', 'build', '--type', 'h5']],
  ['jest', 'npx', ['jest', '--ci', '--json', `--outputFile=${report}`, ...jestArgs], { TENCENTCLOUD: 'true' }],
]

mkdirSync(path.dirname(report), { recursive: true })
rmSync(report, { force: true })
let status = 0
for (const [title, command, args, env] of stages) {
  status = step(title, command, args, env)
  if (status !== 0) break
}
timingTable(stages.map(([title]) => title))
// The jest tally stays the last line of the log (absent when jest did not get to write its report).
summarise(report)
process.exit(status)
