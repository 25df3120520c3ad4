/**
 * Emulated CloudBase cloud storage (云存储): what @cloudbase/node-sdk's uploadFile,
 * getTempFileURL, downloadFile, deleteFile, getFileInfo and copyFile send, with the files kept
 * under `<dataDir>/storage/` (they survive a restart) and served over HTTP by the emulator.
 *
 *   admin storage.getUploadMetadata {path}      → data {url, token, authorization, fileId, cosFileId, download_url};
 *                                                 the SDK then PUTs the bytes to `url` (below)
 *   admin storage.batchGetDownloadUrl {file_list:[{fileid, max_age?}]}
 *                                               → data.download_list [{fileID, tempFileURL, code, message?}]
 *   admin storage.batchDeleteFile {fileid_list} → data.delete_list [{fileID, code, message?}]
 *   admin storage.batchCopyFile {file_list:[{src_path, dst_path, overwrite?, remove_original?}]}
 *                                               → data.copy_list [{fileId, code, message?}]
 *   PUT  /storage/<bucket>/<path>               the upload (COS PUT Object): needs the `authorization`
 *                                               getUploadMetadata issued for that path, unexpired
 *   GET|HEAD /storage/<bucket>/<path>?sign=&t=  a temporary download URL, valid until `t` (unix s)
 *
 * Per-file failures come back the way CloudBase answers them: an item code in the list
 * (STORAGE_FILE_NONEXIST for a missing file, which downloadFile throws as a TcbError). The HTTP
 * side answers like COS, 4xx with an XML <Error> body: 403 AccessDenied "Request has expired",
 * 403 SignatureDoesNotMatch (forged or altered sign / authorization), 404 NoSuchKey.
 * Time is the emulator's business clock, so tests move it to expire a link.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { EmulatorError } from './errors'
import type { AdminReply, AdminRequest } from './server'

const ROUTE = '/storage/'
/** how long an upload authorization from getUploadMetadata stays good */
const UPLOAD_TTL_S = 600
/** getTempFileURL without maxAge */
const DEFAULT_MAX_AGE_S = 86_400
const MAX_PATH_LENGTH = 850

const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
}

interface StoredMeta {
  env: string
  path: string
  size: number
  uploadedAt: number
  etag: string
}

/** The bucket of an environment, shaped like CloudBase's (`<hex of 2 chars>-<env>-<appid>`). */
function contentTypeOf(cloudPath: string): string {
  return CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream'
}

export function bucketOf(env: string): string {
  return `${Buffer.from(env.slice(0, 2)).toString('hex')}-${env}-1300000000`
}

function checkPath(cloudPath: unknown): string {
  if (typeof cloudPath !== 'string' || cloudPath === '') throw new EmulatorError('INVALID_PARAM', 'path must be a non-empty string')
  const problem =
    cloudPath.length > MAX_PATH_LENGTH
      ? `longer than ${MAX_PATH_LENGTH} characters`
      : cloudPath.startsWith('/')
        ? 'must not start with /'
        : /[\\?#%\u0000-\u001f\u007f]/.test(cloudPath)
          ? 'must not contain \\ ? # % or control characters'
          : cloudPath.split('/').some((part) => part === '' || part === '.' || part === '..')
            ? 'has an empty, . or .. segment'
            : ''
  if (problem) throw new EmulatorError('INVALID_PARAM', `invalid cloudPath ${JSON.stringify(cloudPath)}: ${problem}`)
  return cloudPath
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

function sendCosError(res: http.ServerResponse, status: number, code: string, message: string, resource: string, method?: string) {
  const requestId = randomBytes(16).toString('base64')
  const traceId = randomBytes(24).toString('base64')
  const body =
    method === 'HEAD'
      ? ''
      : `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>${code}</Code>\n\t<Message>${xmlEscape(message)}</Message>\n` +
        `\t<Resource>${xmlEscape(resource)}</Resource>\n\t<RequestId>${requestId}</RequestId>\n\t<TraceId>${traceId}</TraceId>\n</Error>`
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-cos-request-id': requestId })
  res.end(body)
}

export class StorageEmulator {
  private readonly root: string
  private readonly objects: string
  private readonly tmp: string
  private readonly secret: Buffer

  constructor(
    dataDir: string,
    private readonly baseUrl: () => string,
    private readonly now: () => number,
  ) {
    this.root = path.join(dataDir, 'storage')
    this.objects = path.join(this.root, 'objects')
    this.tmp = path.join(this.root, 'tmp')
    fs.mkdirSync(this.objects, { recursive: true })
    fs.rmSync(this.tmp, { recursive: true, force: true })
    fs.mkdirSync(this.tmp, { recursive: true })
    // The signing key lives with the files, so links handed out before a restart still work after it.
    const secretFile = path.join(this.root, 'signing-key')
    if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32).toString('hex'))
    this.secret = Buffer.from(fs.readFileSync(secretFile, 'utf8').trim(), 'hex')
  }

  // ---- naming ----

  private fileIdOf(env: string, cloudPath: string): string {
    return `cloud://${env}.${bucketOf(env)}/${cloudPath}`
  }

  /** `cloud://<env>.<bucket>/<path>` → its parts, or null when it is not one of this emulator's file ids. */
  private parseFileId(fileId: unknown): { env: string; path: string } | null {
    if (typeof fileId !== 'string') return null
    const match = /^cloud:\/\/([^./]+)\.([^/]+)\/(.+)$/.exec(fileId)
    if (!match || match[2] !== bucketOf(match[1])) return null
    try {
      return { env: match[1], path: checkPath(match[3]) }
    } catch {
      return null
    }
  }

  private keyOf(env: string, cloudPath: string): string {
    return createHash('sha256').update(`${env}\n${cloudPath}`).digest('hex')
  }

  private dataFile(env: string, cloudPath: string): string {
    return path.join(this.objects, this.keyOf(env, cloudPath))
  }

  private meta(env: string, cloudPath: string): StoredMeta | null {
    try {
      return JSON.parse(fs.readFileSync(`${this.dataFile(env, cloudPath)}.json`, 'utf8')) as StoredMeta
    } catch {
      return null
    }
  }

  // ---- the local console ----

  /** Every stored file, newest first (the console's storage page). */
  listFiles(): { fileId: string; path: string; size: number; uploadedAt: number; contentType: string }[] {
    return fs
      .readdirSync(this.objects)
      .filter((name) => name.endsWith('.json'))
      .flatMap((name) => {
        try {
          const meta = JSON.parse(fs.readFileSync(path.join(this.objects, name), 'utf8')) as StoredMeta
          return [{ fileId: this.fileIdOf(meta.env, meta.path), path: meta.path, size: meta.size, uploadedAt: meta.uploadedAt, contentType: contentTypeOf(meta.path) }]
        } catch {
          return []
        }
      })
      .sort((a, b) => b.uploadedAt - a.uploadedAt)
  }

  /** Puts a file as an upload would (the demo seed's pictures); its file id. */
  putFile(env: string, cloudPath: string, bytes: Buffer): string {
    checkPath(cloudPath)
    const staged = path.join(this.tmp, randomBytes(8).toString('hex'))
    fs.writeFileSync(staged, bytes)
    this.commit(staged, env, cloudPath, bytes.length, `"${createHash('md5').update(bytes).digest('hex')}"`)
    return this.fileIdOf(env, cloudPath)
  }

  /** One stored file's bytes by its file id, for a preview. */
  readFile(fileId: string): { bytes: Buffer; contentType: string } | null {
    const parsed = this.parseFileId(fileId)
    if (!parsed || !this.meta(parsed.env, parsed.path)) return null
    return { bytes: fs.readFileSync(this.dataFile(parsed.env, parsed.path)), contentType: contentTypeOf(parsed.path) }
  }

  private sign(...parts: string[]): string {
    return createHmac('sha256', this.secret).update(parts.join('\n')).digest('hex')
  }

  private signatureMatches(given: string, expected: string): boolean {
    const a = Buffer.from(given)
    const b = Buffer.from(expected)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  private objectUrl(env: string, cloudPath: string, encode: boolean): string {
    const shown = encode ? cloudPath.split('/').map(encodeURIComponent).join('/') : cloudPath
    return `${this.baseUrl()}${ROUTE}${bucketOf(env)}/${shown}`
  }

  private envOf(request: AdminRequest): string {
    const env = request.params.envName
    return typeof env === 'string' && env !== '' ? env : 'local'
  }

  // ---- admin actions ----

  async handleAdmin(request: AdminRequest): Promise<AdminReply> {
    switch (request.action) {
      case 'storage.getUploadMetadata':
        return this.uploadMetadata(request)
      case 'storage.batchGetDownloadUrl':
        return this.downloadUrls(request)
      case 'storage.batchDeleteFile':
        return this.deleteFiles(request)
      case 'storage.batchCopyFile':
        return this.copyFiles(request)
      default:
        throw new EmulatorError('INVALID_PARAM', `unknown action ${request.action}`)
    }
  }

  private uploadMetadata(request: AdminRequest): AdminReply {
    const env = this.envOf(request)
    const cloudPath = checkPath(request.params.path)
    const start = Math.floor(this.now() / 1000)
    const end = start + UPLOAD_TTL_S
    const signature = this.sign('PUT', env, cloudPath, String(end))
    const authorization = `q-sign-algorithm=sha256&q-ak=emulator&q-sign-time=${start};${end}&q-key-time=${start};${end}&q-header-list=&q-url-param-list=&q-signature=${signature}`
    const fileId = this.fileIdOf(env, cloudPath)
    return {
      body: {
        data: {
          url: this.objectUrl(env, cloudPath, true),
          token: this.sign('token', env, cloudPath, String(end)),
          authorization,
          fileId,
          cosFileId: Buffer.from(fileId).toString('base64url'),
          download_url: this.objectUrl(env, cloudPath, false),
        },
      },
    }
  }

  private downloadUrls(request: AdminRequest): AdminReply {
    const list = request.params.file_list
    if (!Array.isArray(list) || list.length === 0) throw new EmulatorError('INVALID_PARAM', 'file_list must be a non-empty array')
    const nowS = Math.floor(this.now() / 1000)
    const download_list = list.map((item: Record<string, unknown>) => {
      const fileID = item?.fileid
      const file = this.parseFileId(fileID)
      if (!file) return { fileID, tempFileURL: '', code: 'INVALID_PARAM', message: `invalid fileID ${String(fileID)}` }
      if (!this.meta(file.env, file.path)) return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
      const maxAge = item.max_age === undefined || item.max_age === null ? DEFAULT_MAX_AGE_S : Number(item.max_age)
      if (!Number.isFinite(maxAge) || maxAge <= 0) return { fileID, tempFileURL: '', code: 'INVALID_PARAM', message: 'max_age must be a positive number of seconds' }
      const t = nowS + Math.floor(maxAge)
      const sign = this.sign('GET', file.env, file.path, String(t))
      return { fileID, tempFileURL: `${this.objectUrl(file.env, file.path, false)}?sign=${sign}&t=${t}`, code: 'SUCCESS' }
    })
    return { body: { data: { download_list } } }
  }

  private deleteFiles(request: AdminRequest): AdminReply {
    const list = request.params.fileid_list
    if (!Array.isArray(list) || list.length === 0) throw new EmulatorError('INVALID_PARAM', 'fileid_list must be a non-empty array')
    const delete_list = list.map((fileID: unknown) => {
      const file = this.parseFileId(fileID)
      if (!file) return { fileID, code: 'INVALID_PARAM', message: `invalid fileID ${String(fileID)}` }
      if (!this.meta(file.env, file.path)) return { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
      const data = this.dataFile(file.env, file.path)
      fs.rmSync(`${data}.json`, { force: true })
      fs.rmSync(data, { force: true })
      return { fileID, code: 'SUCCESS' }
    })
    return { body: { data: { delete_list } } }
  }

  /** srcPath / dstPath: file ids, or cloud paths in the calling environment. */
  private copyFiles(request: AdminRequest): AdminReply {
    const list = request.params.file_list
    if (!Array.isArray(list) || list.length === 0) throw new EmulatorError('INVALID_PARAM', 'file_list must be a non-empty array')
    const env = this.envOf(request)
    const locate = (given: unknown) => {
      const asId = this.parseFileId(given)
      if (asId) return asId
      try {
        return { env, path: checkPath(given) }
      } catch {
        return null
      }
    }
    const copy_list = list.map((item: Record<string, unknown>) => {
      const src = locate(item?.src_path)
      const dst = locate(item?.dst_path)
      if (!src || !dst) return { code: 'INVALID_PARAM', message: 'src_path and dst_path must be file ids or cloud paths' }
      const source = this.meta(src.env, src.path)
      if (!source) return { code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
      const fileId = this.fileIdOf(dst.env, dst.path)
      if (item.overwrite === false && this.meta(dst.env, dst.path)) return { fileId, code: 'STORAGE_REQUEST_FAIL', message: 'destination exists and overwrite is false' }
      const staged = path.join(this.tmp, randomBytes(8).toString('hex'))
      fs.copyFileSync(this.dataFile(src.env, src.path), staged)
      this.commit(staged, dst.env, dst.path, source.size, source.etag)
      if (item.remove_original === true) {
        fs.rmSync(`${this.dataFile(src.env, src.path)}.json`, { force: true })
        fs.rmSync(this.dataFile(src.env, src.path), { force: true })
      }
      return { fileId, code: 'SUCCESS' }
    })
    return { body: { data: { copy_list } } }
  }

  /** Moves a fully written file into place: data first, then its metadata (the file exists once the metadata does). */
  private commit(staged: string, env: string, cloudPath: string, size: number, etag: string) {
    const data = this.dataFile(env, cloudPath)
    fs.renameSync(staged, data)
    const meta: StoredMeta = { env, path: cloudPath, size, uploadedAt: this.now(), etag }
    const metaTmp = `${staged}.json`
    fs.writeFileSync(metaTmp, JSON.stringify(meta))
    fs.renameSync(metaTmp, `${data}.json`)
  }

  // ---- HTTP: the upload PUT and temporary-URL downloads ----

  async handleRoute(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const resource = decodeURIComponentSafe(url.pathname)
    const rest = url.pathname.slice(ROUTE.length)
    const cut = rest.indexOf('/')
    const bucket = cut > 0 ? rest.slice(0, cut) : ''
    const env = /^[0-9a-f]+-(.+)-1300000000$/.exec(bucket)?.[1]
    let cloudPath: string | null = null
    try {
      cloudPath = checkPath(
        rest
          .slice(cut + 1)
          .split('/')
          .map(decodeURIComponent)
          .join('/'),
      )
    } catch {
      cloudPath = null
    }
    if (!env || bucketOf(env) !== bucket) return sendCosError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.', resource, req.method)
    if (cloudPath === null) return sendCosError(res, 400, 'InvalidURI', 'Could not parse the specified URI.', resource, req.method)
    if (req.method === 'PUT') return this.receiveUpload(req, res, env, cloudPath, resource)
    if (req.method === 'GET' || req.method === 'HEAD') return this.serveDownload(req, res, url, env, cloudPath, resource)
    return sendCosError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', resource, req.method)
  }

  private async receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, env: string, cloudPath: string, resource: string) {
    const authorization = String(req.headers.authorization ?? '')
    const fields = new URLSearchParams(authorization)
    const end = Number((fields.get('q-sign-time') ?? '').split(';')[1])
    const signature = fields.get('q-signature') ?? ''
    if (!authorization || !Number.isFinite(end) || !this.signatureMatches(signature, this.sign('PUT', env, cloudPath, String(end)))) {
      req.resume() // a refused upload: let its body drain
      return sendCosError(res, 403, 'SignatureDoesNotMatch', 'The Signature you specified does not match.', resource)
    }
    if (Math.floor(this.now() / 1000) > end) {
      req.resume()
      return sendCosError(res, 403, 'AccessDenied', 'Request has expired', resource)
    }
    const staged = path.join(this.tmp, randomBytes(8).toString('hex'))
    const hash = createHash('md5')
    let size = 0
    try {
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk)
            size += chunk.length
            yield chunk
          }
        },
        fs.createWriteStream(staged),
      )
    } catch (error) {
      fs.rmSync(staged, { force: true })
      if (!res.headersSent && !res.destroyed) sendCosError(res, 400, 'IncompleteBody', `the upload did not complete: ${(error as Error).message}`, resource)
      return
    }
    const etag = `"${hash.digest('hex')}"`
    this.commit(staged, env, cloudPath, size, etag)
    // COS answers a successful PUT Object with an empty body (the SDK parses it as XML).
    res.writeHead(200, { etag, 'content-length': 0, 'x-cos-request-id': randomBytes(16).toString('base64') })
    res.end()
  }

  private async serveDownload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, env: string, cloudPath: string, resource: string): Promise<void> {
    const sign = url.searchParams.get('sign') ?? ''
    const t = url.searchParams.get('t') ?? ''
    if (!sign || !/^\d+$/.test(t)) return sendCosError(res, 403, 'AccessDenied', 'Access Denied.', resource, req.method)
    if (!this.signatureMatches(sign, this.sign('GET', env, cloudPath, t))) {
      return sendCosError(res, 403, 'SignatureDoesNotMatch', 'The Signature you specified does not match.', resource, req.method)
    }
    if (Math.floor(this.now() / 1000) > Number(t)) return sendCosError(res, 403, 'AccessDenied', 'Request has expired', resource, req.method)
    const meta = this.meta(env, cloudPath)
    if (!meta) return sendCosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', resource, req.method)
    const data = this.dataFile(env, cloudPath)
    const headers = {
      'content-type': contentTypeOf(cloudPath),
      'content-length': meta.size,
      etag: meta.etag,
      'last-modified': new Date(meta.uploadedAt).toUTCString(),
      'x-cos-request-id': randomBytes(16).toString('base64'),
    }
    res.writeHead(200, headers)
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    await pipeline(fs.createReadStream(data), res).catch(() => res.destroy())
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
