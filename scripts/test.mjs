#!/usr/bin/env node
// `npm test`: everything, in the order a failure is cheapest to find:
// typecheck → bundle functions → build weapp and h5 → jest (domain, emulator conformance,
// functions through the real SDK, miniprogram-simulate, browser journeys in Chromium).
// Extra arguments go to jest, e.g. `npm test -- tests/domain`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const jestArgs = process.argv.slice(2)

function step(title, command, args, env = {}, after = () => {}) {
  const started = Date.now()
  console.log(`\n▶ ${title}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  console.log(`  ${title}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  after()
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/** One plain closing line for whoever reads the log: `tests: N passed, N failed`. */
function summarise(report) {
  if (!existsSync(report)) return
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, 'utf8'))
  console.log(`tests: ${numPassedTests} passed, ${numFailedTests} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''}`)
}

step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])
step('bundle cloud functions', process.execPath, ['scripts/build-functions.mjs'])
step('build weapp', 'npm', ['run', '--silent', 'build:weapp'])
step('build h5', 'npx', ['taro', 'build', '--type', 'h5'])
const report = path.join(root, 'test-artifacts', 'jest-report.json')
mkdirSync(path.dirname(report), { recursive: true })
step('jest', 'npx', ['jest', '--ci', '--json', `--outputFile=${report}`, ...jestArgs], { TENCENTCLOUD: 'true' }, () => summarise(report))
