/**
 * HTTP adapter of the local CloudBase emulator.
 *
 *   POST /admin?env=..&seqId=..   the admin wire protocol (JSON, or multipart/form-data for wx.*):
 *                                 `database.*` → the database core; other actions → handlers
 *                                 registered with registerAdminAction.
 *   anything else                 routes registered with registerRoute (longest prefix wins).
 *
 * One central error handler: EmulatorError → 200 `{requestId, code, message}` (the SDK throws
 * a TcbError from it); any other error → 200 `{requestId, code: 'SYS_ERR', message}` + a log line.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { Database } from './database'
import { EmulatorError } from './errors'

export interface AdminRequest {
  action: string
  params: Record<string, unknown>
  headers: http.IncomingHttpHeaders
  seqId: string
}

export type CallVerdict = 'allow' | 'drop' | 'refuse'
export type CallGate = (invocationId: string, callNumber: number) => CallVerdict | Promise<CallVerdict>

export type AdminReply = { body: Record<string, unknown> } | { raw: Buffer; contentType: string }
export type AdminHandler = (req: AdminRequest) => Promise<AdminReply>
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void> | void

export interface StartServerOptions {
  host: string
  port: number
  dataDir: string
  indexes?: Record<string, string[]>
  /**
   * The latency model: every database call waits this long before it is served, like a round
   * trip to CloudBase's database (option, else env EMULATOR_DB_LATENCY_MS; default 0).
   */
  dbLatencyMs?: number
}

export interface EmulatorServer {
  url: string
  adminUrl: string
  db: Database
  registerAdminAction(action: string, handler: AdminHandler): void
  registerRoute(prefix: string, handler: RouteHandler): void
  /** how many /admin requests arrived whose seqId starts with `${invocationId}-` */
  callsFor(invocationId: string): number
  /**
   * A gate asked before each /admin request of a function invocation (callNumber counts from 1):
   * `drop` (fault injection) drops the connection unanswered, as if the instance died there;
   * `refuse` answers FUNCTIONS_TIME_LIMIT_EXCEEDED (past its time limit the instance is gone,
   * so nothing it sends may take effect, and an answer keeps the SDK from resending it). A gate
   * may answer later (a paused invocation's call waits until the test resumes it).
   */
  setCallGate(gate: CallGate | null): void
  close(): Promise<void>
}

const ADMIN_PATH = '/admin'
const MAX_BODY_BYTES = 64 * 1024 * 1024
const INDEXES_FILE = path.resolve(__dirname, '..', 'database', 'indexes.json')

/** Secondary indexes: the option, else env EMULATOR_INDEXES (JSON), else database/indexes.json. */
function loadIndexes(given?: Record<string, string[]>): Record<string, string[]> {
  let source: unknown = given
  if (!source && process.env.EMULATOR_INDEXES) source = JSON.parse(process.env.EMULATOR_INDEXES)
  if (!source && fs.existsSync(INDEXES_FILE)) source = JSON.parse(fs.readFileSync(INDEXES_FILE, 'utf8'))
  const indexes: Record<string, string[]> = {}
  for (const [collection, fields] of Object.entries((source ?? {}) as Record<string, unknown>)) {
    if (collection.startsWith('$') || !Array.isArray(fields)) continue
    indexes[collection] = fields.filter((field): field is string => typeof field === 'string')
  }
  return indexes
}

function requestId(): string {
  return `local-${randomBytes(6).toString('hex')}`
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new EmulatorError('INVALID_PARAM', 'request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * Minimal multipart/form-data parser (what the `form-data` package sends): text parts become
 * strings, parts with a non-text Content-Type become Buffers.
 */
export function parseMultipart(body: Buffer, contentType: string): Record<string, unknown> {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  if (!match) throw new EmulatorError('INVALID_PARAM', 'multipart body without boundary')
  const delimiter = Buffer.from(`--${match[1] ?? match[2].trim()}`)
  const fields: Record<string, unknown> = {}
  let start = body.indexOf(delimiter)
  while (start !== -1) {
    const partStart = start + delimiter.length
    if (body.subarray(partStart, partStart + 2).toString() === '--') break // closing delimiter
    const next = body.indexOf(delimiter, partStart)
    if (next === -1) break
    // part = CRLF headers CRLF CRLF content CRLF
    const part = body.subarray(partStart + 2, next - 2)
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8')
      const content = part.subarray(headerEnd + 4)
      const name = /name="([^"]*)"/i.exec(headers)?.[1]
      const type = /^content-type:\s*([^\r\n]+)/im.exec(headers)?.[1]?.trim()
      if (name !== undefined) {
        fields[name] = type && !type.startsWith('text/') ? Buffer.from(content) : content.toString('utf8')
      }
    }
    start = next
  }
  return fields
}

function parseParams(body: Buffer, contentType: string): Record<string, unknown> {
  if (contentType.toLowerCase().startsWith('multipart/form-data')) return parseMultipart(body, contentType)
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8') || '{}')
  } catch {
    throw new EmulatorError('INVALID_PARAM', 'request body is not valid JSON')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EmulatorError('INVALID_PARAM', 'request body must be a JSON object')
  }
  return parsed as Record<string, unknown>
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** The invocation id of a seqId `${TCB_SEQID}-${hex}_${n}`: the part before its last '-'. */
function invocationOf(seqId: string): string | undefined {
  const cut = seqId.lastIndexOf('-')
  return cut > 0 ? seqId.slice(0, cut) : undefined
}

export async function startServer(options: StartServerOptions): Promise<EmulatorServer> {
  const db = Database.open(options.dataDir, loadIndexes(options.indexes))
  const dbLatencyMs = Math.max(0, options.dbLatencyMs ?? (Number(process.env.EMULATOR_DB_LATENCY_MS) || 0))
  const adminActions = new Map<string, AdminHandler>()
  const routes: Array<{ prefix: string; handler: RouteHandler }> = []
  const calls = new Map<string, number>()
  let callGate: CallGate | null = null

  async function dispatch(request: AdminRequest): Promise<AdminReply> {
    if (request.action.startsWith('database.')) {
      if (dbLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, dbLatencyMs))
      return { body: await db.handle(request.action, request.params) }
    }
    const handler = adminActions.get(request.action)
    if (!handler) throw new EmulatorError('INVALID_PARAM', `unknown action ${request.action || '(none)'}`)
    return handler(request)
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const id = requestId()
    const seqId = url.searchParams.get('seqId') ?? ''
    const invocation = invocationOf(seqId)
    if (invocation) calls.set(invocation, (calls.get(invocation) ?? 0) + 1)
    const verdict = invocation && callGate ? await callGate(invocation, calls.get(invocation) ?? 0) : 'allow'
    if (verdict === 'drop') {
      req.socket.destroy()
      return
    }
    if (verdict === 'refuse') {
      req.resume()
      return sendJson(res, 200, { requestId: id, code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED', message: `invocation ${invocation} passed its time limit; its instance is gone` })
    }
    let action = ''
    try {
      if (req.method !== 'POST') throw new EmulatorError('INVALID_PARAM', `${req.method} ${ADMIN_PATH} is not supported; use POST`)
      const params = parseParams(await readBody(req), String(req.headers['content-type'] ?? ''))
      action = typeof params.action === 'string' ? params.action : ''
      const reply = await dispatch({ action, params, headers: req.headers, seqId })
      if ('raw' in reply) {
        res.writeHead(200, { 'content-type': reply.contentType, 'content-length': reply.raw.length })
        res.end(reply.raw)
      } else {
        sendJson(res, 200, { requestId: id, ...reply.body })
      }
    } catch (error) {
      if (error instanceof EmulatorError) {
        sendJson(res, 200, { requestId: id, code: error.code, message: error.message })
      } else {
        console.error(`[emulator] ${id} ${action || '(no action)'} failed:`, error)
        sendJson(res, 200, { requestId: id, code: 'SYS_ERR', message: (error as Error)?.message ?? String(error) })
      }
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.local')
    if (url.pathname === ADMIN_PATH || url.pathname === `${ADMIN_PATH}/`) return handleAdmin(req, res, url)
    let best: { prefix: string; handler: RouteHandler } | undefined
    for (const route of routes) {
      if (url.pathname.startsWith(route.prefix) && (!best || route.prefix.length > best.prefix.length)) best = route
    }
    if (!best) return sendJson(res, 404, { code: 'NOT_FOUND', message: `no route for ${url.pathname}` })
    try {
      await best.handler(req, res, url)
    } catch (error) {
      console.error(`[emulator] route ${best.prefix} failed for ${req.method} ${url.pathname}:`, error)
      if (!res.headersSent) sendJson(res, 500, { code: 'SYS_ERR', message: (error as Error)?.message ?? String(error) })
      else res.end()
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('[emulator] request failed:', error)
      if (!res.headersSent) sendJson(res, 500, { code: 'SYS_ERR', message: String(error) })
    })
  })
  server.keepAliveTimeout = 30_000

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port, options.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    db.close()
    throw error
  }

  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  const url = `http://${host}:${port}`
  let closing: Promise<void> | undefined

  return {
    url,
    adminUrl: `${url}${ADMIN_PATH}`,
    db,
    registerAdminAction(action, handler) {
      if (action.startsWith('database.')) throw new Error(`${action}: database.* actions belong to the database core`)
      adminActions.set(action, handler)
    },
    registerRoute(prefix, handler) {
      if (prefix === ADMIN_PATH || prefix.startsWith(`${ADMIN_PATH}/`) || prefix === `${ADMIN_PATH}`) {
        throw new Error(`${prefix} is reserved for the admin protocol`)
      }
      routes.push({ prefix, handler })
    },
    callsFor(invocationId) {
      return calls.get(invocationId) ?? 0
    },
    setCallGate(gate) {
      callGate = gate
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }).finally(() => db.close())
      return closing
    },
  }
}
