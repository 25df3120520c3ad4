/**
 * The HTTP adapter's contract for the rest of the emulator (registered admin actions and
 * routes, multipart bodies, per-invocation call counts, error mapping), with the server
 * started in this process and called through the real SDK.
 */
import fs from 'node:fs'
import * as tcb from '@cloudbase/node-sdk'
import { EmulatorError } from '../../emulator/errors'
import { startServer, type AdminRequest, type EmulatorServer } from '../../emulator/server'
import { makeTempDir, startTestEmulator } from '../support/emulator'

let server: EmulatorServer
const dataDir = makeTempDir('emulator-server-')

beforeAll(async () => {
  process.env.TENCENTCLOUD = 'true'
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir, indexes: { members: ['openid'] } })
})

afterAll(async () => {
  await server?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const app = () => tcb.init({ env: 'local', serviceUrl: server.adminUrl, secretId: 'x', secretKey: 'y', timeout: 15_000 })

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('expected the call to fail')
}

test('url and adminUrl name the listening address; db is the database core', async () => {
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(server.adminUrl).toBe(`${server.url}/admin`)
  server.db.insertMany('members', [{ _id: 'm1', openid: 'o1', joinedAt: new Date(5) }])
  expect(server.db.find('members', { openid: 'o1' })).toEqual([{ _id: 'm1', openid: 'o1', joinedAt: new Date(5) }])
  expect(server.db.count('members')).toBe(1)
  expect(server.db.isEmpty()).toBe(false)
  const fromSdk = await app().database().collection('members').where({ openid: 'o1' }).get()
  expect(fromSdk.data).toEqual([{ _id: 'm1', openid: 'o1', joinedAt: new Date(5) }])
})

test('a registered admin action receives the JSON params and its body gets a requestId', async () => {
  const seen: AdminRequest[] = []
  server.registerAdminAction('functions.invokeFunction', async (request) => {
    seen.push(request)
    return { body: { data: { response_data: JSON.stringify({ echo: JSON.parse(String(request.params.request_data)) }) } } }
  })
  const res = await app().callFunction({ name: 'hello', data: { a: 1 } })
  expect(res.result).toEqual({ echo: { a: 1 } })
  expect(res.requestId).toMatch(/^local-[0-9a-f]+$/)
  expect(seen[0].action).toBe('functions.invokeFunction')
  expect(seen[0].params.function_name).toBe('hello')
  expect(seen[0].headers['user-agent']).toMatch(/tcb-node-sdk/)
})

test('multipart/form-data bodies are parsed: binary parts as Buffer, text parts as string', async () => {
  let received: Record<string, unknown> = {}
  server.registerAdminAction('wx.openApi', async (request) => {
    received = request.params
    return { raw: Buffer.from([1, 2, 3, 255]), contentType: 'application/octet-stream' }
  })
  const bytes = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x2d, 0x2d])
  const reply = await app().callCompatibleWxOpenApi({ apiName: 'wxacode.getUnlimited', requestData: bytes })
  expect(Buffer.isBuffer(reply) ? [...reply] : reply).toEqual([1, 2, 3, 255])
  expect(received.action).toBe('wx.openApi')
  expect(received.apiName).toBe('wxacode.getUnlimited')
  expect(Buffer.isBuffer(received.requestData)).toBe(true)
  expect([...(received.requestData as Buffer)]).toEqual([...bytes])
})

test('an EmulatorError from a handler reaches the SDK as {code, message}; other errors as SYS_ERR', async () => {
  server.registerAdminAction('wx.api', async (request) => {
    if (request.params.apiName === 'typed') throw new EmulatorError('WX_OPENAPI_ERR', 'simulated')
    throw new Error('boom')
  })
  const typed = await errorOf(app().callWxOpenApi({ apiName: 'typed', requestData: {} }))
  expect(typed).toMatchObject({ code: 'WX_OPENAPI_ERR', message: 'simulated' })
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined)
  const untyped = await errorOf(app().callWxOpenApi({ apiName: 'other', requestData: {} }))
  spy.mockRestore()
  expect(untyped).toMatchObject({ code: 'SYS_ERR', message: 'boom' })
})

test('an unregistered action is INVALID_PARAM "unknown action X"', async () => {
  const error = await errorOf(app().callWxPayApi({ apiName: 'x', requestData: Buffer.from('') } as never))
  expect(error).toMatchObject({ code: 'INVALID_PARAM', message: 'unknown action wx.wxPayApi' })
})

test('callsFor counts /admin requests per invocation id (the seqId prefix before its last "-")', async () => {
  const saved = { keys: process.env.TCB_CONTEXT_KEYS, seq: process.env.TCB_SEQID }
  process.env.TCB_CONTEXT_KEYS = 'TCB_SEQID'
  try {
    process.env.TCB_SEQID = 'invocation-a'
    const db = app().database()
    await db.collection('members').count()
    await db.collection('members').doc('m1').get()
    process.env.TCB_SEQID = 'invocation-b'
    await db.collection('members').count()
  } finally {
    process.env.TCB_CONTEXT_KEYS = saved.keys
    process.env.TCB_SEQID = saved.seq
    if (saved.keys === undefined) delete process.env.TCB_CONTEXT_KEYS
    if (saved.seq === undefined) delete process.env.TCB_SEQID
  }
  expect(server.callsFor('invocation-a')).toBe(2)
  expect(server.callsFor('invocation-b')).toBe(1)
  expect(server.callsFor('invocation-c')).toBe(0)
})

test('routes: any method, longest prefix wins, unknown paths 404, /admin is reserved', async () => {
  server.registerRoute('/h5/', (_req, res) => void res.end('short'))
  server.registerRoute('/h5/api/', (req, res) => void res.end(`long ${req.method}`))
  expect(await (await fetch(`${server.url}/h5/index.html`)).text()).toBe('short')
  expect(await (await fetch(`${server.url}/h5/api/x`, { method: 'PUT' })).text()).toBe('long PUT')
  expect((await fetch(`${server.url}/nowhere`)).status).toBe(404)
  expect(() => server.registerRoute('/admin', () => undefined)).toThrow(/reserved/)
})

test('transactions idle longer than the limit are aborted and release their locks', async () => {
  const emulator = await startTestEmulator({ env: { EMULATOR_TX_IDLE_MS: '300' } })
  try {
    const db = emulator.app().database()
    await db.collection('idle').add({ _id: 'i', n: 0 })
    const stale = (await db.startTransaction()) as unknown as { collection(n: string): ReturnType<typeof db.collection>; commit(): Promise<unknown> }
    await stale.collection('idle').doc('i').update({ n: 1 })
    await new Promise((resolve) => setTimeout(resolve, 600))
    const fresh = (await db.startTransaction()) as unknown as typeof stale
    await fresh.collection('idle').doc('i').update({ n: 2 })
    await fresh.commit()
    expect((await errorOf(stale.commit())).code).toBe('DATABASE_TRANSACTION_FAIL')
    expect((await db.collection('idle').doc('i').get()).data[0]).toEqual({ _id: 'i', n: 2 })
  } finally {
    await emulator.stop()
  }
})

test('close() stops the server with keep-alive connections open and releases the data dir', async () => {
  const dir = makeTempDir('emulator-close-')
  const other = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, indexes: {} })
  const sdk = tcb.init({ env: 'local', serviceUrl: other.adminUrl, secretId: 'x', secretKey: 'y' })
  await sdk.database().collection('c').add({ _id: 'kept' })
  await other.close()
  expect(fs.existsSync(`${dir}/LOCK`)).toBe(false)
  const reopened = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, indexes: {} })
  expect(reopened.db.find('c')).toEqual([{ _id: 'kept' }])
  await reopened.close()
  fs.rmSync(dir, { recursive: true, force: true })
})
