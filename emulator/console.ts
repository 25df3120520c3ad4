/**
 * The local console at /console, in the spirit of Firebase's Emulator UI: what CloudBase's console
 * is to an admin in production. Served to 127.0.0.1 only. The page is a React app
 * (emulator/console/app.tsx, bundled by esbuild on first request); its API:
 *
 *   GET  /console/api/collections                 every collection with its count
 *   GET  /console/api/documents?collection&where&skip&limit   a page of documents (dates as { $date })
 *   POST /console/api/documents {collection, document}        saves one document; configuration goes
 *                                                  through admin.saveConfig (validated, nothing written on error)
 *   GET  /console/api/actions                     the admin actions with their input as JSON Schema
 *   POST /console/api/call {name, action, input}  runs a function as the console (no WeChat user)
 *   POST /console/api/timers {name}               fires a timer of the jobs function (answers at once)
 *   GET  /console/api/runs                        job runs, newest first, with their progress
 *   GET  /console/api/files, /console/api/file?path   storage, and one file's bytes for a preview
 *
 * The clock, invocations, WeChat calls and payments are the emulator's own /emulator/ routes.
 */
import { build } from 'esbuild'
import type http from 'node:http'
import path from 'node:path'
import { zodToJsonSchema } from 'zod-to-json-schema'
import { adminActions, CONFIG_COLLECTIONS } from '../domain/contract'
import type { Database } from './database'
import type { FunctionHost } from './functions'
import { readJson, sendJson } from './h5'
import type { StorageEmulator } from './storage'

const PAGE_LIMIT = 200

export interface ConsoleDeps {
  db: Database
  functions: FunctionHost
  storage: StorageEmulator
}

/** Dates as `{ $date: ISO }` for the browser's editor, and back. */
export function toEditorJson(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() }
  if (Array.isArray(value)) return value.map(toEditorJson)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toEditorJson(inner)]))
  return value
}

export function fromEditorJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromEditorJson)
  if (typeof value !== 'object' || value === null) return value
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (keys.length === 1 && keys[0] === '$date' && typeof record.$date === 'string') return new Date(record.$date)
  return Object.fromEntries(keys.map((key) => [key, fromEditorJson(record[key])]))
}

/** The console is for this machine only, whatever address the emulator listens on. */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>本地控制台 · 云开发模拟器</title>
<link rel="stylesheet" href="/console/app.css">
</head>
<body><div id="root"></div><script src="/console/app.js"></script></body>
</html>`

export class ConsoleRoutes {
  private bundle: Promise<{ js: string; css: string }> | null = null

  constructor(private readonly deps: ConsoleDeps) {}

  private app(): Promise<{ js: string; css: string }> {
    this.bundle ??= build({
      entryPoints: [path.join(__dirname, 'console', 'app.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      jsx: 'automatic',
      minify: true,
      outdir: 'out',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.css': 'css' },
      logLevel: 'silent',
    }).then((result) => ({
      js: result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '',
      css: result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '',
    }))
    return this.bundle
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: { code: 'PERMISSION_DENIED', message: 'the console answers 127.0.0.1 only' } })
    try {
      if (url.pathname === '/console' || url.pathname === '/console/') return this.send(res, 'text/html; charset=utf-8', PAGE)
      if (url.pathname === '/console/app.js') return this.send(res, 'text/javascript; charset=utf-8', (await this.app()).js)
      if (url.pathname === '/console/app.css') return this.send(res, 'text/css; charset=utf-8', (await this.app()).css)
      if (url.pathname.startsWith('/console/api/')) return await this.api(req, res, url)
      return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no console page ${url.pathname}` } })
    } catch (error) {
      return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: (error as Error).message } })
    }
  }

  private send(res: http.ServerResponse, contentType: string, body: string | Buffer) {
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
    res.end(body)
  }

  private async api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const { db, functions, storage } = this.deps
    const route = `${req.method} ${url.pathname.slice('/console/api'.length)}`
    switch (route) {
      case 'GET /collections':
        return sendJson(res, 200, { collections: db.collectionNames(), config: CONFIG_COLLECTIONS })
      case 'GET /documents': {
        const collection = url.searchParams.get('collection') ?? ''
        const where = fromEditorJson(JSON.parse(url.searchParams.get('where') || '{}')) as object
        const skip = Math.max(0, Number(url.searchParams.get('skip') ?? 0) || 0)
        const limit = Math.min(PAGE_LIMIT, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50))
        const all = db.find(collection, where) as { _id: string }[]
        all.sort((a, b) => (String(a._id) < String(b._id) ? -1 : String(a._id) > String(b._id) ? 1 : 0))
        return sendJson(res, 200, { total: all.length, documents: all.slice(skip, skip + limit).map(toEditorJson) })
      }
      case 'POST /documents': {
        const body = await readJson(req)
        const collection = String(body.collection ?? '')
        const document = body.document as Record<string, unknown> | undefined
        if (!collection || typeof document !== 'object' || document === null || typeof document._id !== 'string') {
          return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: 'collection and a document with an _id are required' } })
        }
        if ((CONFIG_COLLECTIONS as readonly string[]).includes(collection)) {
          // configuration is saved the way an admin saves it in production: through the validated action
          return sendJson(res, 200, await functions.invoke('admin', { action: 'saveConfig', input: { collection, document } }, null))
        }
        db.put(collection, fromEditorJson(document) as { _id: string })
        return sendJson(res, 200, { ok: true, data: { collection, documentId: document._id } })
      }
      case 'GET /actions':
        return sendJson(res, 200, {
          actions: Object.entries(adminActions).map(([name, spec]) => ({ name, roles: spec.roles, schema: zodToJsonSchema(spec.input, { target: 'jsonSchema7', $refStrategy: 'none' }) })),
        })
      case 'POST /call': {
        const body = await readJson(req)
        return sendJson(res, 200, await functions.invoke(String(body.name ?? ''), { action: body.action, input: body.input ?? {} }, null))
      }
      case 'POST /timers': {
        const name = String((await readJson(req)).name ?? '')
        if (name !== 'nightly' && name !== 'minutely') return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: 'name must be nightly or minutely' } })
        // a night may take minutes: the page follows its runs instead of waiting
        functions.invoke('jobs', { Type: 'Timer', TriggerName: name, Time: new Date().toISOString() }, null).catch((error: unknown) => console.error(`[console] timer ${name}`, error))
        return sendJson(res, 200, { started: name })
      }
      case 'GET /runs':
        return sendJson(res, 200, { runs: this.runs() })
      case 'GET /files':
        return sendJson(res, 200, { files: storage.listFiles() })
      case 'GET /file': {
        const file = storage.readFile(url.searchParams.get('fileId') ?? '')
        if (!file) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such file' } })
        return this.send(res, file.contentType, file.bytes)
      }
      default:
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no console API ${route}` } })
    }
  }

  /** Runs newest first with their shards summed (what admin.jobRun reads, for every run at once). */
  private runs() {
    const { db } = this.deps
    const runs = db.find('job_runs') as { _id: string; job: string; status: string; shards: number; startedAt: Date; finishedAt: Date | null }[]
    runs.sort((a, b) => new Date(b.startedAt).getTime() - new Date(a.startedAt).getTime())
    return runs.slice(0, 50).map((run) => {
      const shards = db.find('job_shards', { runKey: run._id }) as { status: string; items?: number; changed?: number; errors?: number }[]
      const sum = (field: 'items' | 'changed' | 'errors') => shards.reduce((total, shard) => total + (shard[field] ?? 0), 0)
      return {
        key: run._id,
        job: run.job,
        status: run.status,
        shardsDone: shards.filter((shard) => shard.status === 'done').length,
        shardsTotal: run.shards,
        items: sum('items'),
        changed: sum('changed'),
        errors: sum('errors'),
        startedAt: new Date(run.startedAt).toISOString(),
        finishedAt: run.finishedAt ? new Date(run.finishedAt).toISOString() : null,
      }
    })
  }
}
