/**
 * Test harness: runs the local emulator as a separate process (`emulator/main.ts` on a free
 * port) and makes real `@cloudbase/node-sdk` apps pointed at it.
 *
 *   const emulator = await startTestEmulator()
 *   const db = emulator.app().database()
 *   ...
 *   await emulator.stop()
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tcb from '@cloudbase/node-sdk'

export const REPO_ROOT = path.resolve(__dirname, '..', '..')
const START_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 5_000

// The SDK probes cloud metadata on every request unless this is set (wire reference §1.5).
process.env.TENCENTCLOUD = 'true'

export type CloudBaseApp = ReturnType<typeof tcb.init>

export interface TestEmulatorOptions {
  /** Data directory to use (e.g. to restart on the data of an earlier run); default: a new temp dir. */
  dataDir?: string
  /** Load the demo data into an empty database (`--seed`). */
  seed?: boolean
  /** Extra environment for the emulator process (e.g. EMULATOR_INDEXES). */
  env?: Record<string, string>
  /** Where the bundled functions are (default: cloudfunctions/). */
  functionsDir?: string
  /** How long the emulator may take to start (a large data directory takes longer to load). */
  startTimeoutMs?: number
}

export interface TestEmulator {
  url: string
  adminUrl: string
  dataDir: string
  process: ChildProcess
  /** A CloudBase app (real SDK) talking to this emulator. */
  app(): CloudBaseApp
  /** Graceful stop (SIGTERM, store flushed); removes the data dir if the harness created it. */
  stop(): Promise<void>
  /** `kill -9`: no chance to flush anything; the data dir is kept. */
  kill9(): Promise<void>
  /** The last 20,000 characters the emulator (and the functions it runs) wrote to stderr, e.g. their error logs. */
  stderr(): string
}

/** A fresh empty directory under the OS temp dir. */
export function makeTempDir(prefix = 'emulator-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const ownsDataDir = !options.dataDir
  const dataDir = options.dataDir ?? makeTempDir()
  const args = ['--import', 'tsx', 'emulator/main.ts', '--port', '0', '--data', dataDir]
  if (options.seed) args.push('--seed')
  if (options.functionsDir) args.push('--functions', options.functionsDir)
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, TENCENTCLOUD: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })

  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000)
  })

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    let settled = false
    const fail = (reason: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`emulator did not start: ${reason}\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`))
    }
    const startTimeout = options.startTimeoutMs ?? START_TIMEOUT_MS
    const timer = setTimeout(() => fail(`no EMULATOR_URL line within ${startTimeout} ms`), startTimeout)
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk
      const match = /EMULATOR_URL=(\S+)/.exec(stdout)
      if (match && !settled) {
        settled = true
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code, signal) => fail(`process exited (code ${code}, signal ${signal})`))
    child.once('error', (error) => fail(error.message))
  })
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout!.resume()

  const adminUrl = `${url}/admin`
  return {
    url,
    adminUrl,
    dataDir,
    process: child,
    app() {
      return tcb.init({ env: 'local', serviceUrl: adminUrl, secretId: 'x', secretKey: 'y', timeout: 15_000 })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
          child.kill('SIGKILL')
          await waitForExit(child, STOP_TIMEOUT_MS)
        }
      }
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
    async kill9() {
      child.kill('SIGKILL')
      await waitForExit(child, STOP_TIMEOUT_MS)
    },
    stderr: () => stderr,
  }
}
