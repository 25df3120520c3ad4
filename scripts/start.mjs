#!/usr/bin/env node
// `npm start`: builds the cloud functions and the H5 app, then runs the local CloudBase
// emulator with demo data and serves the H5 app on 127.0.0.1. Ctrl-C stops it.
//   npm start -- --no-build     reuse the last builds
//   EMULATOR_PORT=18080 EMULATOR_DATA=.data npm start
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const skipBuild = process.argv.includes('--no-build')

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (!skipBuild || !existsSync(path.join(root, 'cloudfunctions/member/index.js'))) run(process.execPath, ['scripts/build-functions.mjs'])
if (!skipBuild || !existsSync(path.join(root, 'dist/h5/index.html'))) run('npx', ['taro', 'build', '--type', 'h5'])

const port = process.env.EMULATOR_PORT ?? '18080'
const data = process.env.EMULATOR_DATA ?? '.data'
const emulator = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--port', port, '--data', data, '--seed', '--h5', 'dist/h5'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, TENCENTCLOUD: 'true' },
})
emulator.stdout.on('data', (chunk) => {
  const text = chunk.toString()
  const match = /EMULATOR_URL=(\S+)/.exec(text)
  if (match) {
    console.log(`\n  花漾美妆会员小程序 (H5, local)  →  ${match[1]}/`)
    console.log(`  Local console (head office)    →  ${match[1]}/console`)
    console.log(`  CloudBase emulator admin API   →  ${match[1]}/admin   (data: ${data})`)
    console.log('  Pick a persona on the dev login page: 新访客 / 老会员 / 店员 / 店长. Ctrl-C to stop.\n')
  } else process.stdout.write(text)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => emulator.kill('SIGTERM'))
emulator.on('exit', (code) => process.exit(code ?? 0))
