/**
 * The local console's server (emulator/console.ts) over HTTP: its API answers the page, configuration
 * saves go through admin.saveConfig, other documents are written as given, and only this machine
 * is served. The page itself is driven in Chromium by tests/e2e/console.test.ts.
 */
import { fromEditorJson, isLoopback, toEditorJson } from '../../emulator/console'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const api = async (path: string, body?: unknown) => {
  const response = await fetch(`${emulator.url}/console/api${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

test('only loopback addresses are served', () => {
  expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true])
  expect(['10.0.0.8', '192.168.1.20', '::ffff:10.0.0.8', undefined, ''].map(isLoopback)).toEqual([false, false, false, false, false])
})

test('dates travel to the editor as { $date } and come back as dates', () => {
  const at = new Date('2026-12-02T02:00:00.000Z')
  const shown = toEditorJson({ _id: 'x', at, list: [{ at }], n: 1 })
  expect(shown).toEqual({ _id: 'x', at: { $date: '2026-12-02T02:00:00.000Z' }, list: [{ at: { $date: '2026-12-02T02:00:00.000Z' } }], n: 1 })
  expect(fromEditorJson(JSON.parse(JSON.stringify(shown)))).toEqual({ _id: 'x', at, list: [{ at }], n: 1 })
})

test('the page and its bundle are served; collections name the configuration ones', async () => {
  const page = await fetch(`${emulator.url}/console`)
  expect(page.headers.get('content-type')).toContain('text/html')
  expect(await page.text()).toContain('/console/app.js')
  const bundle = await fetch(`${emulator.url}/console/app.js`)
  expect((await bundle.text()).length).toBeGreaterThan(50_000)
  const { body } = await api('/collections')
  expect(body.collections).toContainEqual({ name: 'tiers', count: 3 })
  expect(body.config).toEqual(expect.arrayContaining(['config', 'tiers', 'coupon_templates']))
})

test('documents page with a filter; a plain document is written as given, dates included', async () => {
  const { body } = await api(`/documents?collection=tiers&where=${encodeURIComponent(JSON.stringify({ rank: { $gte: 2 } }))}`)
  expect(body.total).toBe(2)
  expect(body.documents.map((document: { _id: string }) => document._id)).toEqual(['diamond', 'gold'])
  const saved = await api('/documents', { collection: 'notes', document: { _id: 'n1', text: '备注', at: { $date: '2026-12-02T02:00:00.000Z' } } })
  expect(saved.body).toEqual({ ok: true, data: { collection: 'notes', documentId: 'n1' } })
  const { data } = await adminApp(emulator.adminUrl).database().collection('notes').doc('n1').get()
  expect(data[0]).toEqual({ _id: 'n1', text: '备注', at: new Date('2026-12-02T02:00:00.000Z') })
})

test('a configuration document goes through admin.saveConfig: a bad one is refused by field and nothing is written', async () => {
  const before = (await adminApp(emulator.adminUrl).database().collection('config').doc('pointRules').get()).data[0]
  const bad = await api('/documents', { collection: 'config', document: { ...(toEditorJson(before) as object), checkin: 'many' } })
  expect(bad.body).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'CONFIG_INVALID', fields: [expect.objectContaining({ path: expect.stringMatching(/^checkin/) })] } })
  const unknown = await api('/documents', { collection: 'config', document: { _id: 'secrets', x: 1 } })
  expect(unknown.body).toMatchObject({ ok: false, error: { reason: 'CONFIG_INVALID', fields: [expect.objectContaining({ path: '_id' })] } })
  expect((await adminApp(emulator.adminUrl).database().collection('config').doc('pointRules').get()).data[0]).toEqual(before)
  expect((await adminApp(emulator.adminUrl).database().collection('config').doc('secrets').get()).data).toEqual([])
  // two default card types break the collection's rule
  const { data: cards } = await adminApp(emulator.adminUrl).database().collection('card_types').get()
  const other = (cards as { _id: string; isDefault: boolean }[]).find((card) => !card.isDefault)!
  const second = await api('/documents', { collection: 'card_types', document: { ...(toEditorJson(other) as object), isDefault: true } })
  expect(second.body).toMatchObject({ ok: false, error: { reason: 'CONFIG_INVALID', fields: [expect.objectContaining({ path: 'isDefault' })] } })
})

test('admin actions come with their input schemas; timers must be named; unknown routes are 404', async () => {
  const { body } = await api('/actions')
  const names = body.actions.map((one: { name: string }) => one.name)
  expect(names).toEqual(expect.arrayContaining(['bulkGrant', 'saveConfig', 'jobRun', 'checkInvariants']))
  const grant = body.actions.find((one: { name: string }) => one.name === 'bulkGrant')
  expect(grant.schema.properties.memberIds).toMatchObject({ type: 'array', items: { type: 'string' }, maxItems: 1000 })
  expect(grant.schema.required).toEqual(expect.arrayContaining(['batchId', 'memberIds', 'reason']))
  expect((await api('/timers', { name: 'constructor' })).status).toBe(400)
  expect((await api('/nothing')).status).toBe(404)
})
