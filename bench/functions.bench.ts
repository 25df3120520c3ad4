/**
 * Cloud function cold-start benchmark (on demand, not part of `npm test`).
 *
 *   node --import tsx bench/functions.bench.ts
 *
 * For every cloud function (cloudfunctions/<name>/src/index.ts):
 *   - bundle size: bytes of cloudfunctions/<name>/index.js as built by scripts/build-functions.mjs;
 *   - bundled cold require: `require()` of that bundle in a fresh node process;
 *   - unbundled cold require: `require()` of the same function transpiled file-by-file (no bundling,
 *     imports resolved from the repo's node_modules) in a fresh node process, plus the total size
 *     of every module that require pulled into `require.cache`.
 *
 * Each child runs with cwd = os.tmpdir() and requires an absolute path, so nothing but the file
 * under test (and, for the unbundled build, its own relative/node_modules imports) can resolve.
 * RUNS timed runs per function and variant (after one untimed warm-up that primes the OS file
 * cache); bundled and unbundled runs are interleaved so machine noise hits both alike.
 * p50 = median, p90 = nearest-rank 90th percentile.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
// @ts-expect-error plain ESM script without type declarations
import { buildFunctions, functionNames } from '../scripts/build-functions.mjs'

const RUNS = 15
const CHILD_TIMEOUT_MS = 20_000

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const unbundledRoot = path.join(root, '.tmp', 'unbundled')

interface Sample {
  ms: number
  bytes: number
  files: number
}

/** Code run by each fresh child: time the require, then measure what it loaded (outside the timing). */
function childScript(file: string): string {
  return [
    `const t = process.hrtime.bigint();`,
    `require(${JSON.stringify(file)});`,
    `const ms = Number(process.hrtime.bigint() - t) / 1e6;`,
    `const fs = require('fs');`,
    `let bytes = 0, files = 0;`,
    `for (const f of Object.keys(require.cache)) { try { bytes += fs.statSync(f).size; files++ } catch {} }`,
    `console.log(JSON.stringify({ ms, bytes, files }));`,
  ].join('\n')
}

function coldRequire(file: string): Sample {
  const child = spawnSync(process.execPath, ['-e', childScript(file)], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    // keep the child clean: no tsx loader or other --import/--require inherited from this process
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  if (child.status !== 0) {
    throw new Error(`cold require of ${file} failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}`)
  }
  const lastLine = child.stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(lastLine) as Sample
}

function tsFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...tsFiles(full))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full)
  }
  return out
}

/** Transpiles (no bundling) every function's src plus domain/ and backend/ into .tmp/unbundled, keeping the layout. */
async function buildUnbundled(names: string[]): Promise<void> {
  rmSync(unbundledRoot, { recursive: true, force: true })
  const entryPoints = [...names.flatMap((name) => tsFiles(path.join(root, 'cloudfunctions', name, 'src'))), ...tsFiles(path.join(root, 'domain')), ...tsFiles(path.join(root, 'backend'))]
  await build({
    entryPoints,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    outdir: unbundledRoot,
    outbase: root,
    logLevel: 'warning',
  })
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]
}

const fmtMs = (values: number[]) => `${percentile(values, 50).toFixed(1)} / ${percentile(values, 90).toFixed(1)}`
const fmtBytes = (n: number) => `${n.toLocaleString('en-US')} (${(n / 1024).toFixed(1)} KB)`

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

async function main(): Promise<void> {
  const started = Date.now()
  const names: string[] = functionNames()
  if (names.length === 0) throw new Error('no cloud functions found under cloudfunctions/*/src/index.ts')

  const bundleSizes: Record<string, number> = await buildFunctions({ quiet: true })
  await buildUnbundled(names)

  const targets = names.map((name) => {
    const bundled = path.join(root, 'cloudfunctions', name, 'index.js')
    const unbundled = path.join(unbundledRoot, 'cloudfunctions', name, 'src', 'index.js')
    for (const file of [bundled, unbundled]) if (!existsSync(file)) throw new Error(`missing ${file}`)
    return { name, bundled, unbundled, bundledMs: [] as number[], unbundledMs: [] as number[], loaded: undefined as Sample | undefined, bundledFiles: 0 }
  })

  console.log(`functions: ${names.join(', ')}; ${RUNS} fresh-process runs each (+1 warm-up), node ${process.version}, ${os.cpus().length} CPUs`)

  // warm-up (not counted): primes the OS file cache for both variants
  for (const t of targets) {
    coldRequire(t.bundled)
    coldRequire(t.unbundled)
  }
  for (let run = 0; run < RUNS; run++) {
    for (const t of targets) {
      const b = coldRequire(t.bundled)
      t.bundledMs.push(b.ms)
      t.bundledFiles = b.files
      const u = coldRequire(t.unbundled)
      t.unbundledMs.push(u.ms)
      t.loaded = u
    }
  }

  const rows = targets.map((t) => [
    t.name,
    fmtBytes(bundleSizes[t.name] ?? statSync(t.bundled).size),
    fmtMs(t.bundledMs),
    fmtMs(t.unbundledMs),
    `${fmtBytes(t.loaded!.bytes)} (${t.loaded!.files} files)`,
  ])
  console.log()
  console.log(table(['function', 'bundle bytes', 'bundled cold require p50/p90 ms', 'unbundled cold require p50/p90 ms', 'unbundled loaded bytes (files)'], rows))
  for (const t of targets) {
    if (t.bundledFiles !== 1) console.warn(`warning: bundle of ${t.name} loaded ${t.bundledFiles} files, expected 1 (is it self-contained?)`)
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
