/**
 * scripts/weapp-size.mjs, the size budgets `npm test` enforces on the weapp build:
 * main package ≤ 450 KB, each subpackage ≤ 2 MB, total ≤ 30 MB. Run as the CLI it is, against
 * small fixture builds with tiny budgets (so the failing path is proven, not assumed), and
 * against the real dist/weapp with the real budgets.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '../..')
const SCRIPT = path.join(ROOT, 'scripts/weapp-size.mjs')

function run(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

let fixture = ''

/** A fake build: 3 KB in the main package (app.json + 2 KB page + 1 KB map that must not count), 5 KB in `trade/`. */
beforeAll(() => {
  fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-size-'))
  const write = (rel: string, bytes: number) => {
    fs.mkdirSync(path.dirname(path.join(fixture, rel)), { recursive: true })
    fs.writeFileSync(path.join(fixture, rel), 'x'.repeat(bytes))
  }
  const app = JSON.stringify({ pages: ['pages/card/index'], subPackages: [{ root: 'trade', pages: ['pages/home/index'] }] })
  fs.writeFileSync(path.join(fixture, 'app.json'), app.padEnd(1024, ' '))
  write('pages/card/index.js', 2048)
  write('pages/card/index.js.map', 1024)
  write('trade/pages/home/index.js', 5120)
})

afterAll(() => {
  fs.rmSync(fixture, { recursive: true, force: true })
})

test('a build within its budgets passes and prints every package', () => {
  const result = run({ WEAPP_DIST: fixture, WEAPP_BUDGET_MAIN_KB: '3', WEAPP_BUDGET_SUBPACKAGE_KB: '5', WEAPP_BUDGET_TOTAL_KB: '8' })
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  expect(result.stdout).toMatch(/main package\s+3072 bytes\s+3\.0 KB\s+budget\s+3\.0 KB\s+ok/)
  expect(result.stdout).toMatch(/subpackage trade\/\s+5120 bytes/)
  expect(result.stdout).toMatch(/total\s+8192 bytes/)
})

test('a main package over its budget fails with a message naming it and the excess', () => {
  const result = run({ WEAPP_DIST: fixture, WEAPP_BUDGET_MAIN_KB: '2' })
  expect(result.status).toBe(1)
  expect(result.stderr.trim()).toBe('weapp-size: OVER BUDGET: main package is 3.0 KB, over its budget of 2.0 KB by 1.0 KB')
})

test('a subpackage over its budget fails, and so does the total', () => {
  const sub = run({ WEAPP_DIST: fixture, WEAPP_BUDGET_SUBPACKAGE_KB: '4' })
  expect(sub.status).toBe(1)
  expect(sub.stderr).toContain('OVER BUDGET: subpackage trade/ is 5.0 KB, over its budget of 4.0 KB')

  const total = run({ WEAPP_DIST: fixture, WEAPP_BUDGET_TOTAL_KB: '7.5' })
  expect(total.status).toBe(1)
  expect(total.stderr).toContain('OVER BUDGET: total is 8.0 KB, over its budget of 7.5 KB')
})

test('a missing build or a nonsense budget fails rather than passing', () => {
  expect(run({ WEAPP_DIST: path.join(fixture, 'nowhere') }).status).toBe(1)
  expect(run({ WEAPP_DIST: fixture, WEAPP_BUDGET_MAIN_KB: 'lots' }).status).not.toBe(0)
})

test('the real weapp build is within the real budgets (450 KB main, 2 MB per subpackage, 30 MB total)', () => {
  const dist = path.join(ROOT, 'dist/weapp')
  if (!fs.existsSync(path.join(dist, 'app.json'))) throw new Error('dist/weapp is missing: run `npm run build:weapp` first.')
  const env = { WEAPP_DIST: dist, WEAPP_BUDGET_MAIN_KB: '', WEAPP_BUDGET_SUBPACKAGE_KB: '', WEAPP_BUDGET_TOTAL_KB: '' }
  const result = run(env)
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  expect(result.stdout).toMatch(/main package .* budget\s+450\.0 KB\s+ok/)
})
