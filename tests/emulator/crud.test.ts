/**
 * Conformance of the emulator's database actions, through the real @cloudbase/node-sdk.
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator'

let emulator: TestEmulator
let db: ReturnType<ReturnType<TestEmulator['app']>['database']>

beforeAll(async () => {
  emulator = await startTestEmulator()
  db = emulator.app().database()
})

afterAll(async () => {
  await emulator?.stop()
})

/** POSTs one raw admin request (for what the SDK cannot send). */
async function admin(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${emulator.adminUrl}?env=local&seqId=raw`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Record<string, unknown>
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('expected the call to fail')
}

describe('collections and documents', () => {
  test('createCollection succeeds, and creating it again is accepted', async () => {
    const res = await db.createCollection('created')
    expect(res).toEqual(expect.objectContaining({ requestId: expect.stringMatching(/^local-/) }))
    await expect(db.createCollection('created')).resolves.toBeDefined()
    expect((await db.collection('created').count()).total).toBe(0)
  })

  test('add() generates a 32-hex _id; add([...]) returns the ids in order', async () => {
    const one = await db.collection('adds').add({ title: 'a' })
    expect(one.id).toMatch(/^[0-9a-f]{32}$/)
    const many = (await db.collection('adds').add([{ title: 'b' }, { _id: 'fixed', title: 'c' }])) as unknown as { ids: string[] }
    expect(many.ids).toHaveLength(2)
    expect(many.ids[1]).toBe('fixed')
    const { data } = await db
      .collection('adds')
      .doc(one.id as string)
      .get()
    expect(data).toEqual([{ _id: one.id, title: 'a' }])
  })

  test('doc(id).get() of a missing id returns an empty list', async () => {
    const res = await db.collection('adds').doc('nope').get()
    expect(res.data).toEqual([])
  })

  test('reads of a collection that was never written return empty results, not an error', async () => {
    const coll = db.collection('never-written')
    expect((await coll.get()).data).toEqual([])
    expect((await coll.doc('x').get()).data).toEqual([])
    expect((await coll.count()).total).toBe(0)
    expect((await coll.aggregate().match({ a: 1 }).end()).data).toEqual([])
  })

  test('writing to a collection that does not exist creates it', async () => {
    await db.collection('born-on-write').add({ a: 1 })
    expect((await db.collection('born-on-write').count()).total).toBe(1)
  })

  test('EJSON types round-trip: Date, 2**40 integer, doubles, null, nested arrays and objects', async () => {
    const doc = {
      _id: 'types',
      when: new Date('2024-01-02T03:04:05.678Z'),
      big: 2 ** 40,
      negative: -7,
      double: 9.5,
      tiny: 1e-9,
      nothing: null,
      nested: { a: { b: [1, [2, [3]], { c: 'x' }] } },
      flag: false,
      text: '中文 & "quotes"',
    }
    await db.collection('types').add(doc)
    const { data } = await db.collection('types').doc('types').get()
    expect(data[0]).toEqual(doc)
    expect(data[0].when).toBeInstanceOf(Date)
    expect(Number.isInteger(data[0].big)).toBe(true)
  })

  test('db.serverDate() on add and on update stores the server time as a Date', async () => {
    const before = Date.now()
    await db.collection('dates').add({ _id: 'd1', createdAt: db.serverDate(), later: db.serverDate({ offset: 60_000 }) })
    await db
      .collection('dates')
      .doc('d1')
      .update({ updatedAt: db.serverDate(), nested: { at: db.serverDate() } })
    const after = Date.now()
    const [doc] = (await db.collection('dates').doc('d1').get()).data
    for (const value of [doc.createdAt, doc.updatedAt, doc.nested.at]) {
      expect(value).toBeInstanceOf(Date)
      expect(value.getTime()).toBeGreaterThanOrEqual(before - 5)
      expect(value.getTime()).toBeLessThanOrEqual(after + 5)
    }
    expect(doc.later.getTime() - doc.createdAt.getTime()).toBeGreaterThanOrEqual(59_000)
  })

  test('doc().set() upserts a missing document, then replaces it (fields not given are gone)', async () => {
    const created = await db.collection('sets').doc('s1').set({ title: 'first', extra: 1 })
    expect(created).toEqual(expect.objectContaining({ updated: 0, upsertedId: 's1' }))
    const replaced = await db.collection('sets').doc('s1').set({ title: 'second' })
    expect(replaced.updated).toBe(1)
    expect((await db.collection('sets').doc('s1').get()).data).toEqual([{ _id: 's1', title: 'second' }])
  })

  test('doc().update() merges fields and nested objects; updated counts changed documents', async () => {
    await db.collection('updates').add({ _id: 'u1', a: 1, nested: { x: 1, y: 2 } })
    const res = await db
      .collection('updates')
      .doc('u1')
      .update({ b: 2, nested: { y: 3, z: 4 } })
    expect(res.updated).toBe(1)
    expect((await db.collection('updates').doc('u1').get()).data[0]).toEqual({ _id: 'u1', a: 1, b: 2, nested: { x: 1, y: 3, z: 4 } })
    expect((await db.collection('updates').doc('missing').update({ b: 1 })).updated).toBe(0)
  })

  test('where().update() changes every match; options({multiple:false}) only one', async () => {
    await db.collection('multi').add([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }])
    const _ = db.command
    expect((await db.collection('multi').where({ g: 1 }).update({ hit: true })).updated).toBe(3)
    const single = await (db.collection('multi').where({ g: 1 }) as any).options({ multiple: false }).update({ once: _.inc(1) })
    expect(single.updated).toBe(1)
    expect((await db.collection('multi').where({ once: 1 }).count()).total).toBe(1)
  })

  test('updateAndReturn returns the updated document; no match gives updated 0 and no doc', async () => {
    const _ = db.command
    await db.collection('uar').add({ _id: 'r1', n: 1 })
    const res = await db
      .collection('uar')
      .where({ _id: 'r1' })
      .updateAndReturn({ n: _.inc(1) })
    expect(res.updated).toBe(1)
    expect(res.doc).toEqual({ _id: 'r1', n: 2 })
    const none = await db
      .collection('uar')
      .where({ _id: 'nope' })
      .updateAndReturn({ n: _.inc(1) })
    expect(none.updated).toBe(0)
    expect(none.doc).toBeFalsy()
  })

  test('doc().remove() deletes one document; where().remove() deletes every match', async () => {
    await db.collection('removes').add([
      { _id: 'k1', t: 'a' },
      { _id: 'k2', t: 'b' },
      { _id: 'k3', t: 'b' },
    ])
    expect((await db.collection('removes').doc('k1').remove()).deleted).toBe(1)
    expect((await db.collection('removes').doc('k1').remove()).deleted).toBe(0)
    expect((await db.collection('removes').where({ t: 'b' }).remove()).deleted).toBe(2)
    expect((await db.collection('removes').count()).total).toBe(0)
  })

  test('count() counts all documents or only the matches of where()', async () => {
    const _ = db.command
    await db.collection('counts').add([{ n: 1 }, { n: 5 }, { n: 10 }])
    expect((await db.collection('counts').count()).total).toBe(3)
    expect(
      (
        await db
          .collection('counts')
          .where({ n: _.gt(4) })
          .count()
      ).total,
    ).toBe(2)
  })

  test('a duplicate _id insert fails with E11000 and inserts nothing of its batch', async () => {
    await db.collection('dups').add({ _id: 'same', v: 1 })
    const error = await errorOf(db.collection('dups').add({ _id: 'same', v: 2 }))
    expect(error.code).toBe('DATABASE_REQUEST_FAILED')
    expect(error.message).toMatch(/E11000 duplicate key error collection: dups index: _id_ dup key: \{ _id: "same" \}/)
    await expect(db.collection('dups').add([{ _id: 'fresh' }, { _id: 'same' }])).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' })
    expect((await db.collection('dups').doc('fresh').get()).data).toEqual([])
    expect((await db.collection('dups').doc('same').get()).data[0].v).toBe(1)
  })
})

describe('reading: order, paging, projection and limits', () => {
  beforeAll(async () => {
    const docs = Array.from({ length: 1200 }, (_, i) => ({ _id: `p${String(i).padStart(4, '0')}`, i, group: i % 3, name: `n${i % 7}` }))
    for (let start = 0; start < docs.length; start += 300) await db.collection('pages').add(docs.slice(start, start + 300))
  })

  test('get() without limit returns 100 documents and reports the total of all matches', async () => {
    const res = await db.collection('pages').get()
    expect(res.data).toHaveLength(100)
    expect((res as unknown as { total: number }).total).toBe(1200)
  })

  test('limit(1000) returns 1000 of 1200 documents', async () => {
    expect((await db.collection('pages').limit(1000).get()).data).toHaveLength(1000)
  })

  test('the server caps limit at 1000 even when asked for more', async () => {
    const body = await admin({ action: 'database.getDocument', collectionName: 'pages', queryType: 'WHERE', limit: 5000 })
    expect((body.data as { list: string[] }).list).toHaveLength(1000)
    expect(body.limit).toBe(1000)
  })

  test('orderBy on several keys, skip, limit and field() work together', async () => {
    const _ = db.command
    const res = await db
      .collection('pages')
      .where({ i: _.lt(30) })
      .orderBy('group', 'desc')
      .orderBy('i', 'asc')
      .skip(2)
      .limit(3)
      .field({ i: true, group: true })
      .get()
    expect(res.data).toEqual([
      { _id: 'p0008', i: 8, group: 2 },
      { _id: 'p0011', i: 11, group: 2 },
      { _id: 'p0014', i: 14, group: 2 },
    ])
  })

  test('field() can exclude fields', async () => {
    const res = await db.collection('pages').where({ i: 5 }).field({ name: false, group: false }).get()
    expect(res.data).toEqual([{ _id: 'p0005', i: 5 }])
  })
})

describe('aggregate', () => {
  beforeAll(async () => {
    await db.collection('orders').add([
      { _id: 'o1', member: 'm1', amount: 100, items: ['a', 'b'] },
      { _id: 'o2', member: 'm1', amount: 50, items: ['a'] },
      { _id: 'o3', member: 'm2', amount: 70, items: [] },
      { _id: 'o4', member: 'm3', amount: 5, items: ['c'] },
    ])
    await db.collection('people').add([
      { _id: 'm1', name: 'Ann' },
      { _id: 'm2', name: 'Bob' },
    ])
  })

  test('match + group + sort computes totals per key', async () => {
    const _ = db.command
    const $ = _.aggregate
    const res = await db
      .collection('orders')
      .aggregate()
      .match({ amount: _.gt(10) })
      .group({ _id: '$member', total: $.sum('$amount'), orders: $.sum(1) })
      .sort({ total: -1 })
      .end()
    expect(res.data).toEqual([
      { _id: 'm1', total: 150, orders: 2 },
      { _id: 'm2', total: 70, orders: 1 },
    ])
  })

  test('project, unwind, skip, limit and count stages', async () => {
    const unwound = await db.collection('orders').aggregate().unwind('$items').project({ _id: 0, items: 1 }).sort({ items: 1 }).skip(1).limit(2).end()
    expect(unwound.data).toEqual([{ items: 'a' }, { items: 'b' }])
    const counted = await db.collection('orders').aggregate().match({ member: 'm1' }).count('n').end()
    expect(counted.data).toEqual([{ n: 2 }])
  })

  test('lookup joins another collection', async () => {
    const res = await db.collection('orders').aggregate().match({ _id: 'o3' }).lookup({ from: 'people', localField: 'member', foreignField: '_id', as: 'who' }).end()
    expect(res.data).toEqual([{ _id: 'o3', member: 'm2', amount: 70, items: [], who: [{ _id: 'm2', name: 'Bob' }] }])
  })
})

describe('errors', () => {
  test('an unknown action is INVALID_PARAM "unknown action X"', async () => {
    const body = await admin({ action: 'database.frobnicate' })
    expect(body).toMatchObject({ code: 'INVALID_PARAM', message: 'unknown action database.frobnicate' })
    expect(await admin({ action: 'nothing.here' })).toMatchObject({ code: 'INVALID_PARAM', message: 'unknown action nothing.here' })
  })

  test('a missing collectionName is INVALID_PARAM, with a requestId', async () => {
    const body = await admin({ action: 'database.getDocument', queryType: 'WHERE' })
    expect(body).toMatchObject({ code: 'INVALID_PARAM', requestId: expect.stringMatching(/^local-[0-9a-f]+$/) })
  })

  test('malformed EJSON and bad params are INVALID_PARAM', async () => {
    expect(await admin({ action: 'database.getDocument', collectionName: 'x', query: '{oops' })).toMatchObject({ code: 'INVALID_PARAM' })
    expect(await admin({ action: 'database.insertDocument', collectionName: 'x', data: [] })).toMatchObject({ code: 'INVALID_PARAM' })
    expect(await admin({ action: 'database.getDocument', collectionName: 'x', limit: -1 })).toMatchObject({ code: 'INVALID_PARAM' })
    expect(await admin({ action: 'database.modifyDocument', collectionName: 'x', query: '{}' })).toMatchObject({ code: 'INVALID_PARAM' })
  })

  test('SDK callers see errors as TcbError with code and message', async () => {
    const error = await errorOf(db.collection('dups').add({ _id: 'same' }))
    expect(error).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/E11000|duplicate key/) })
  })
})
