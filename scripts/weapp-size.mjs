#!/usr/bin/env node
/**
 * Package sizes of the weapp build (dist/weapp), as WeChat counts them:
 * the main package is everything outside subpackage roots; each subpackage is its root folder.
 * Fails (exit 1) if the main package or any subpackage is over 2 MB, or the total is over 30 MB.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist', 'weapp')
const MB = 1024 * 1024
const LIMIT_PACKAGE = 2 * MB
const LIMIT_TOTAL = 30 * MB

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

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const line = (label, bytes, limit) =>
  `${label.padEnd(28)} ${String(bytes).padStart(10)} bytes  ${kb(bytes).padStart(11)}${limit ? `  (limit ${kb(limit)})` : ''}`

if (!fs.existsSync(path.join(dist, 'app.json'))) {
  console.error(`weapp-size: ${path.relative(root, dist)}/app.json not found — the weapp build did not produce output.`)
  process.exit(1)
}

const app = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'))
const subRoots = (app.subPackages ?? app.subpackages ?? []).map((pkg) => pkg.root.replace(/^\/+|\/+$/g, ''))

const sizes = { main: 0 }
for (const sub of subRoots) sizes[sub] = 0

for (const file of walk(dist)) {
  const rel = path.relative(dist, file).split(path.sep).join('/')
  if (IGNORED.some((re) => re.test(rel))) continue
  const bytes = fs.statSync(file).size
  const owner = subRoots.find((sub) => rel === sub || rel.startsWith(`${sub}/`)) ?? 'main'
  sizes[owner] += bytes
}

const total = Object.values(sizes).reduce((sum, bytes) => sum + bytes, 0)
const problems = []

console.log(`weapp package sizes (${path.relative(root, dist)}, source maps excluded)`)
console.log(line('main package', sizes.main, LIMIT_PACKAGE))
if (sizes.main > LIMIT_PACKAGE) problems.push(`main package is ${kb(sizes.main)} (> 2 MB)`)
for (const sub of subRoots) {
  console.log(line(`subpackage ${sub}/`, sizes[sub], LIMIT_PACKAGE))
  if (sizes[sub] > LIMIT_PACKAGE) problems.push(`subpackage ${sub} is ${kb(sizes[sub])} (> 2 MB)`)
}
console.log(line('total', total, LIMIT_TOTAL))
if (total > LIMIT_TOTAL) problems.push(`total is ${kb(total)} (> 30 MB)`)

if (problems.length) {
  for (const problem of problems) console.error(`weapp-size: ${problem}`)
  process.exit(1)
}
