/**
 * The local CloudBase: the wire-protocol server and its database, the cloud functions run
 * with injected WeChat identities, the recorded WeChat open APIs, cloud storage (/storage/, files under the data dir), and the H5 dev gateway.
 */
import { ConsoleRoutes } from './console'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { BusinessClock, changeClock } from './clock'
import { useServerClock } from './database/ejson'
import { FunctionHost } from './functions'
import { H5Gateway, readJson, sendJson, staticFiles } from './h5'
import { PayEmulator } from './pay'
import { DEMO_ENV, DEMO_IMAGES } from './demo-images'
import { demoData } from './seed'
import { startServer, type EmulatorServer } from './server'
import { StorageEmulator } from './storage'
import { WeChatRecorder } from './wechat'

export interface EmulatorOptions {
  host: string
  port: number
  dataDir: string
  seed: boolean
  h5Dir?: string
  functionsDir: string
}

export interface Emulator extends EmulatorServer {
  clock: BusinessClock
  functions: FunctionHost
  wechat: WeChatRecorder
  pay: PayEmulator
  storage: StorageEmulator
}

/** Function settings for local runs; production sets these in cloudbaserc.json's envVariables. */
export const LOCAL_FUNCTION_SETTINGS = {
  MEMBER_CODE_SECRET: process.env.MEMBER_CODE_SECRET ?? 'local-dev-member-code-secret-change-me',
  SHARE_CODE_SECRET: process.env.SHARE_CODE_SECRET ?? 'local-dev-share-code-secret-change-me',
  WECHAT_PAY_SUB_MCH_ID: process.env.WECHAT_PAY_SUB_MCH_ID ?? '1900000109',
  /** concurrent worker invocations of a job run (backend/platform/job-runner.ts) */
  JOB_WIDTH: process.env.JOB_WIDTH ?? '8',
}

/**
 * Each function's time limit: its `timeout` in cloudbaserc.json, as CloudBase enforces it; env
 * EMULATOR_TIME_LIMITS_MS (JSON, function name → ms) overrides some, for tests of what a limit does.
 */
export function functionTimeLimits(configFile = path.resolve(__dirname, '..', 'cloudbaserc.json')): Map<string, number> {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as { functions?: { name: string; timeout?: number }[] }
  const limits = new Map<string, number>()
  for (const fn of config.functions ?? []) if (typeof fn.timeout === 'number') limits.set(fn.name, fn.timeout * 1000)
  const overrides = process.env.EMULATOR_TIME_LIMITS_MS ? (JSON.parse(process.env.EMULATOR_TIME_LIMITS_MS) as Record<string, unknown>) : {}
  for (const [name, ms] of Object.entries(overrides)) if (typeof ms === 'number' && ms > 0) limits.set(name, ms)
  return limits
}

/** Headers a test or tool puts on `functions.invokeFunction` to call as a WeChat user. */
function identityFrom(headers: Record<string, string | string[] | undefined>) {
  const openid = headers['x-wx-openid']
  if (typeof openid !== 'string' || openid === '') return null
  const text = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined)
  return { openid, appid: text('x-wx-appid'), unionid: text('x-wx-unionid') }
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const server = await startServer({ host: options.host, port: options.port, dataDir: options.dataDir })
  const seeding = options.seed && server.db.isEmpty()
  if (seeding) {
    for (const [collection, documents] of Object.entries(demoData())) server.db.insertMany(collection, documents)
  }

  const clock = new BusinessClock()
  // WeChat Pay, the open APIs and the database's serverDate() keep the business clock's time too.
  useServerClock(() => clock.now())
  const functions = new FunctionHost({
    clock,
    functionsDir: options.functionsDir,
    adminUrl: server.adminUrl,
    settings: LOCAL_FUNCTION_SETTINGS,
    callsFor: (id) => server.callsFor(id),
    timeLimitsMs: functionTimeLimits(),
  })
  server.setCallGate((invocationId, callNumber) => functions.verdictOn(invocationId, callNumber))
  const wechat = new WeChatRecorder(() => clock.now())
  const gateway = new H5Gateway(functions)
  const pay = new PayEmulator(
    functions,
    (authorization) => gateway.sessionOpenid(authorization),
    () => clock.now(),
  )

  server.registerAdminAction('functions.invokeFunction', async (request) => {
    const name = String(request.params.function_name ?? '')
    const text = String(request.params.request_data ?? '')
    const event = text ? JSON.parse(text) : {}
    const result = await functions.invoke(name, event, identityFrom(request.headers))
    return { body: { data: { response_data: JSON.stringify(result ?? null) } } }
  })
  server.registerAdminAction('wx.api', (request) => wechat.handleApi(request))
  server.registerAdminAction('wx.openApi', (request) => wechat.handleOpenApi(request))
  server.registerAdminAction('wx.wxPayApi', (request) => pay.handleWxPayApi(request))
  server.registerRoute('/emulator/pay/', (req, res, url) => pay.handleEmulatorRoute(req, res, url))
  server.registerRoute('/h5/pay/', (req, res, url) => pay.handleH5Route(req, res, url))
  const storage = new StorageEmulator(
    options.dataDir,
    () => server.url,
    () => clock.now(),
  )
  // the demo's pictures, which its products, flash sales and group-buys name
  if (seeding) for (const [name, svg] of Object.entries(DEMO_IMAGES)) storage.putFile(DEMO_ENV, `images/${name}`, Buffer.from(svg))
  for (const action of ['storage.getUploadMetadata', 'storage.batchGetDownloadUrl', 'storage.batchDeleteFile', 'storage.batchCopyFile']) {
    server.registerAdminAction(action, (request) => storage.handleAdmin(request))
  }
  server.registerRoute('/storage/', (req, res, url) => storage.handleRoute(req, res, url))
  const console_ = new ConsoleRoutes({ db: server.db, functions, storage })
  server.registerRoute('/console', (req, res, url) => console_.handle(req, res, url))

  server.registerRoute('/h5/', (req, res, url) => gateway.handle(req, res, url))
  server.registerRoute('/emulator/', async (req, res, url) => {
    if (url.pathname === '/emulator/invocations') {
      return sendJson(res, 200, {
        invocations: functions.invocations({
          functionName: url.searchParams.get('function') ?? undefined,
          openid: url.searchParams.get('openid') ?? undefined,
          last: Number(url.searchParams.get('last') ?? 100),
        }),
      })
    }
    if (url.pathname === '/emulator/wechat-calls') return sendJson(res, 200, { calls: wechat.list(url.searchParams.get('api') ?? undefined) })
    if (url.pathname === '/emulator/health') return sendJson(res, 200, { ok: true })
    if (url.pathname === '/emulator/clock') {
      if (req.method === 'POST') {
        const problem = changeClock(clock, await readJson(req))
        if (problem) return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: problem } })
      }
      return sendJson(res, 200, clock.view())
    }
    if (url.pathname === '/emulator/faults' && req.method === 'GET') return sendJson(res, 200, { heldCalls: functions.heldCalls() })
    if (url.pathname === '/emulator/faults/resume' && req.method === 'POST') {
      functions.resumePaused()
      return sendJson(res, 200, { ok: true })
    }
    if (url.pathname === '/emulator/faults' && req.method === 'POST') {
      const plan = await readJson(req)
      if (typeof plan.functionName !== 'string' || typeof plan.afterCalls !== 'number') {
        return sendJson(res, 400, { error: { code: 'INVALID_ARGUMENT', message: 'functionName and afterCalls are required' } })
      }
      functions.planFault({
        effect: plan.effect === 'pause' ? 'pause' : 'crash',
        functionName: plan.functionName,
        action: typeof plan.action === 'string' ? plan.action : undefined,
        eventKey: typeof plan.eventKey === 'string' ? plan.eventKey : undefined,
        eventIncludes: typeof plan.eventIncludes === 'string' ? plan.eventIncludes : undefined,
        afterCalls: plan.afterCalls,
        times: typeof plan.times === 'number' ? plan.times : 1,
      })
      return sendJson(res, 200, { ok: true })
    }
    return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: url.pathname } })
  })
  if (options.h5Dir) server.registerRoute('/', staticFiles(path.resolve(options.h5Dir)))

  return Object.assign(server, { clock, functions, wechat, pay, storage })
}
