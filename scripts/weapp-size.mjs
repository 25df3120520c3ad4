#!/usr/bin/env node
/**
 * Package sizes of the weapp build (dist/weapp), as WeChat counts them, against budgets:
 * the main package is everything outside subpackage roots; each subpackage is its root folder.
 *
 * Budgets (1 KB = 1024 bytes, as WeChat counts):
 *   main package  ≤ 450 KB   (WeChat's own limit is 2 MB; ours keeps the first screen fast)
 *   subpackage    ≤ 2 MB each
 *   total         ≤ 30 MB
 * Exits 1 with one `weapp-size: OVER BUDGET …` line per package over its budget.
 *
 * Environment (for tests and experiments, not for raising budgets quietly):
 *   WEAPP_DIST                  the build folder to measure (default dist/weapp)
 *   WEAPP_BUDGET_MAIN_KB        main package budget in KB
 *   WEAPP_BUDGET_SUBPACKAGE_KB  per-subpackage budget in KB
 *   WEAPP_BUDGET_TOTAL_KB       total budget in KB
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const KB = 1024
const MB = 1024 * KB

export const DEFAULT_BUDGETS = { main: 450 * KB, subpackage: 2 * MB, total: 30 * MB }

/** Files WeChat DevTools does not upload. */
const IGNORED = [/\.map$/, /(^|\/)\.DS_Store$/]

function walk(dir) {
  const files = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) files.push(...walk(full))
    else if (entry.isFile()) files.push(full)
  }
  return files
}

/** Bytes per package of a weapp build folder: `{ main, subpackages: { root: bytes }, total }`. */
export function measure(dist) {
  const app = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'))
  const subRoots = (app.subPackages ?? app.subpackages ?? []).map((pkg) => pkg.root.replace(/^\/+|\/+$/g, ''))
  const subpackages = Object.fromEntries(subRoots.map((sub) => [sub, 0]))
  let main = 0
  for (const file of walk(dist)) {
    const rel = path.relative(dist, file).split(path.sep).join('/')
    if (IGNORED.some((re) => re.test(rel))) continue
    const bytes = fs.statSync(file).size
    const owner = subRoots.find((sub) => rel === sub || rel.startsWith(`${sub}/`))
    if (owner === undefined) main += bytes
    else subpackages[owner] += bytes
  }
  const total = main + Object.values(subpackages).reduce((sum, bytes) => sum + bytes, 0)
  return { main, subpackages, total }
}

export const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`

/** One message per package over its budget; [] when everything fits. */
export function overBudget(sizes, budgets = DEFAULT_BUDGETS) {
  const problems = []
  const check = (label, bytes, limit) => {
    if (bytes > limit) problems.push(`${label} is ${kb(bytes)}, over its budget of ${kb(limit)} by ${kb(bytes - limit)}`)
  }
  check('main package', sizes.main, budgets.main)
  for (const [sub, bytes] of Object.entries(sizes.subpackages)) check(`subpackage ${sub}/`, bytes, budgets.subpackage)
  check('total', sizes.total, budgets.total)
  return problems
}

/** Budgets with the WEAPP_BUDGET_*_KB overrides applied. */
export function budgetsFromEnv(env = process.env) {
  const read = (name, fallback) => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} is not a size in KB`)
    return value * KB
  }
  return {
    main: read('WEAPP_BUDGET_MAIN_KB', DEFAULT_BUDGETS.main),
    subpackage: read('WEAPP_BUDGET_SUBPACKAGE_KB', DEFAULT_BUDGETS.subpackage),
    total: read('WEAPP_BUDGET_TOTAL_KB', DEFAULT_BUDGETS.total),
  }
}

function main() {
  const dist = path.resolve(root, process.env.WEAPP_DIST || path.join('dist', 'weapp'))
  const shown = path.relative(root, dist) || dist
  if (!fs.existsSync(path.join(dist, 'app.json'))) {
    console.error(`weapp-size: ${shown}/app.json not found — the weapp build did not produce output.`)
    return 1
  }
  let budgets
  try {
    budgets = budgetsFromEnv()
  } catch (error) {
    console.error(`weapp-size: ${error.message}`)
    return 1
  }
  const sizes = measure(dist)
  const line = (label, bytes, limit) => `${label.padEnd(28)} ${String(bytes).padStart(10)} bytes  ${kb(bytes).padStart(11)}  budget ${kb(limit).padStart(10)}  ${bytes > limit ? 'OVER' : 'ok'}`

  console.log(`weapp package sizes (${shown}, source maps excluded)`)
  console.log(line('main package', sizes.main, budgets.main))
  for (const [sub, bytes] of Object.entries(sizes.subpackages)) console.log(line(`subpackage ${sub}/`, bytes, budgets.subpackage))
  console.log(line('total', sizes.total, budgets.total))

  const problems = overBudget(sizes, budgets)
  for (const problem of problems) console.error(`weapp-size: OVER BUDGET: ${problem}`)
  return problems.length ? 1 : 0
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main()
