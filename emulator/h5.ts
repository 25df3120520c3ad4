/**
 * What the H5 build of the mini-program talks to during local development:
 *   GET  /h5/personas            the demo personas of the dev login
 *   POST /h5/login {persona}     a session for one persona → { token, openid, scene }
 *   POST /h5/call {name, data}   Taro.cloud.callFunction's stand-in: runs the function as that persona
 * plus the H5 build's static files. In weapp none of this exists: WeChat supplies identity.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import type { FunctionHost } from './functions'
import { DEMO_PERSONAS, type PersonaId } from './seed'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  res.end(text)
}

export async function readJson(req: http.IncomingMessage, limit = 1 << 20): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

interface Session {
  persona: PersonaId
  openid: string
}

export class H5Gateway {
  private readonly sessions = new Map<string, Session>()

  constructor(private readonly functions: FunctionHost) {}

  /** The WeChat user of the session an `Authorization: Bearer <token>` header names, or null. */
  sessionOpenid(authorization: string | undefined): string | null {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
    return (token && this.sessions.get(token)?.openid) || null
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    try {
      if (url.pathname === '/h5/personas' && req.method === 'GET') {
        return sendJson(res, 200, { personas: DEMO_PERSONAS.map(({ id, label, description }) => ({ id, label, description })) })
      }
      if (url.pathname === '/h5/login' && req.method === 'POST') return await this.login(req, res)
      if (url.pathname === '/h5/call' && req.method === 'POST') return await this.call(req, res)
      return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } })
    } catch (error) {
      return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: (error as Error).message } })
    }
  }

  private async login(req: http.IncomingMessage, res: http.ServerResponse) {
    const { persona } = await readJson(req)
    const definition = DEMO_PERSONAS.find((candidate) => candidate.id === persona)
    if (!definition) return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: `unknown persona ${String(persona)}` } })
    // A visitor is a new WeChat user every time, so the join journey can be walked again and again.
    const openid = definition.openid ?? `o_visitor_${randomBytes(6).toString('hex')}`
    const token = randomBytes(18).toString('base64url')
    this.sessions.set(token, { persona: definition.id, openid })
    return sendJson(res, 200, { token, openid, scene: definition.scene ?? null })
  }

  private async call(req: http.IncomingMessage, res: http.ServerResponse) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const session = token ? this.sessions.get(token) : undefined
    if (!session) return sendJson(res, 401, { error: { code: 'UNAUTHENTICATED', message: '登录已失效，请重新选择身份' } })
    const { name, data } = await readJson(req)
    if (typeof name !== 'string') return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: 'name is required' } })
    try {
      const result = await this.functions.invoke(name, data ?? {}, { openid: session.openid })
      return sendJson(res, 200, { result })
    } catch (error) {
      return sendJson(res, 502, { error: { code: 'INTERNAL', message: (error as Error).message } })
    }
  }
}

/** Serves the H5 build; unknown paths get index.html (the app routes by hash). */
export function staticFiles(root: string) {
  return (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '')
    let file = path.join(root, relative)
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html')
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('H5 build not found: run npm run build:h5')
      return
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300',
    })
    createReadStream(file).pipe(res)
  }
}
