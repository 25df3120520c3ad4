#!/usr/bin/env node
// Bundles every cloud function (cloudfunctions/<name>/src/index.ts) with esbuild into
// cloudfunctions/<name>/index.js: one self-contained file that CloudBase runs as `index.main`,
// with no node_modules to install. Prints each bundle's size.
import { build } from 'esbuild'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const functionsRoot = path.join(root, 'cloudfunctions')

export function functionNames() {
  return readdirSync(functionsRoot)
    .filter((name) => existsSync(path.join(functionsRoot, name, 'src', 'index.ts')))
    .sort()
}

export async function buildFunctions({ quiet = false } = {}) {
  const sizes = {}
  await Promise.all(
    functionNames().map(async (name) => {
      const outfile = path.join(functionsRoot, name, 'index.js')
      await build({
        entryPoints: [path.join(functionsRoot, name, 'src', 'index.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node16',
        format: 'cjs',
        minify: true,
        legalComments: 'none',
        logLevel: 'warning',
      })
      sizes[name] = statSync(outfile).size
    }),
  )
  if (!quiet) {
    for (const name of Object.keys(sizes).sort()) {
      console.log(`cloudfunctions/${name}/index.js  ${sizes[name]} bytes (${(sizes[name] / 1024).toFixed(1)} KB)`)
    }
  }
  return sizes
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildFunctions().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
