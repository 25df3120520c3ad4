/**
 * The layer check (`npm run check:layers`, dependency-cruiser with .dependency-cruiser.cjs) can
 * fail: in a temporary copy of the sources, an import against each layer's direction, a function
 * importing the SDK handle, and an import cycle are each refused by name, and the untouched copy passes.
 */
import { spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(__dirname, '../..')
const bin = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')
let copy: string

function cruise(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [bin, '--config', '.dependency-cruiser.cjs', 'domain', 'backend', 'cloudfunctions', 'src'], { cwd: copy, encoding: 'utf8' })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

beforeAll(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), 'layers-'))
  for (const part of ['domain', 'backend', 'src', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(path.join(root, part), path.join(copy, part), { recursive: true })
  cpSync(path.join(root, 'cloudfunctions'), path.join(copy, 'cloudfunctions'), { recursive: true, filter: (file) => !file.endsWith('index.js') })
  // the copy resolves packages from the repository's node_modules
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'))
})

afterAll(() => rmSync(copy, { recursive: true, force: true }))

test('the sources as they are pass', () => {
  const { status, output } = cruise()
  expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('no dependency violations') })
}, 120_000)

test('an upward import, a context using one above it and a cycle are refused, each by its rule', () => {
  appendFileSync(path.join(copy, 'domain/orders/order.ts'), "\nimport '../../backend/orders/orders'\n")
  appendFileSync(path.join(copy, 'backend/orders/kinds.ts'), "\nimport '../../cloudfunctions/order/src/index'\n")
  appendFileSync(path.join(copy, 'src/services/errors.ts'), "\nimport '../../backend/platform/cloud'\n")
  appendFileSync(path.join(copy, 'backend/platform/clock.ts'), "\nimport '../loyalty/ledger'\n")
  appendFileSync(path.join(copy, 'cloudfunctions/coupon/src/index.ts'), "\nimport { database } from '../../../backend/platform/cloud'\nexport const direct = () => database().collection('coupons')\n")
  appendFileSync(path.join(copy, 'backend/coupons/coupons.ts'), "\nimport '../loyalty/tiers'\n")
  appendFileSync(path.join(copy, 'domain/shared/time.ts'), "\nimport '../promo/flash-sale'\n")
  appendFileSync(path.join(copy, 'backend/promo/flash-sale.ts'), "\nimport '../membership/members'\n")
  appendFileSync(path.join(copy, 'cloudfunctions/order/src/index.ts'), "\nimport '../../../backend/orders/orders'\n")
  writeFileSync(path.join(copy, 'backend/coupons/cycle-a.ts'), "import { b } from './cycle-b'\nexport const a = () => b\n")
  writeFileSync(path.join(copy, 'backend/coupons/cycle-b.ts'), "import { a } from './cycle-a'\nexport const b = () => a\n")
  const { status, output } = cruise()
  expect(status).not.toBe(0)
  expect(output).toMatch(/domain-is-pure: domain\/orders\/order\.ts → backend\/orders\/orders\.ts/)
  expect(output).toMatch(/backend-not-above-functions: backend\/orders\/kinds\.ts → cloudfunctions\/order\/src\/index\.ts/)
  expect(output).toMatch(/mini-program-not-to-server: src\/services\/errors\.ts → backend\/platform\/cloud\.ts/)
  expect(output).toMatch(/platform-below-contexts: backend\/platform\/clock\.ts → backend\/loyalty\/ledger\.ts/)
  expect(output).toMatch(/functions-hold-no-database: cloudfunctions\/coupon\/src\/index\.ts → backend\/platform\/cloud\.ts/)
  expect(output).toMatch(/no-cycles: backend\/coupons\/cycle-a\.ts/)
  expect(output).toMatch(/context-order-coupons: backend\/coupons\/coupons\.ts → backend\/loyalty\/tiers\.ts/)
  expect(output).toMatch(/contexts-talk-through-index: backend\/promo\/flash-sale\.ts → backend\/membership\/members\.ts/)
  expect(output).toMatch(/entry-points-through-index: cloudfunctions\/order\/src\/index\.ts → backend\/orders\/orders\.ts/)
  expect(output).toMatch(/kernel-below-contexts: domain\/shared\/time\.ts → domain\/promo\/flash-sale\.ts/)
}, 120_000)

test('no cloud function calls the database itself (its persistence lives in backend/<context>/)', () => {
  const sources = readdirSync(path.join(root, 'cloudfunctions'), { recursive: true, encoding: 'utf8' }).filter((file) => /^[^/]+\/src\/.*\.tsx?$/.test(file.split(path.sep).join('/')))
  expect(sources.length).toBeGreaterThan(0)
  const calls = sources.flatMap((file) =>
    readFileSync(path.join(root, 'cloudfunctions', file), 'utf8')
      .split('\n')
      .flatMap((line, index) => (/\bdatabase\(\)|\.collection\(/.test(line) ? [`cloudfunctions/${file}:${index + 1}`] : [])),
  )
  expect(calls).toEqual([])
})
