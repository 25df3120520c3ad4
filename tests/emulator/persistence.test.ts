/**
 * Durability (append-only log + snapshot, kill -9, torn log line, data-dir lock) and
 * secondary indexes (an indexed query returns what a scan would), through the real SDK.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeTempDir, startTestEmulator, type TestEmulator } from '../support/emulator'

type Db = ReturnType<ReturnType<TestEmulator['app']>['database']>

interface Tx {
  collection(name: string): ReturnType<Db['collection']>
  commit(): Promise<unknown>
}

async function docsOf(db: Db, collection: string, query: object = {}): Promise<unknown[]> {
  return (await db.collection(collection).where(query).orderBy('_id', 'asc').limit(1000).get()).data
}

describe('persistence', () => {
  const dataDir = makeTempDir('emulator-persist-')
  const running: TestEmulator[] = []
  const start = async () => {
    const emulator = await startTestEmulator({ dataDir })
    running.push(emulator)
    return emulator
  }

  afterAll(async () => {
    for (const emulator of running) await emulator.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  test('acknowledged writes (and a transaction commit) survive kill -9 and a restart on the same data dir', async () => {
    const first = await start()
    const db = first.app().database()
    const _ = db.command
    await db.collection('kept').add([
      { _id: 'a', n: 1, at: new Date('2024-05-01T00:00:00Z'), big: 2 ** 40, ratio: 0.25 },
      { _id: 'b', n: 2 },
      { _id: 'c', n: 3 },
    ])
    await db
      .collection('kept')
      .doc('a')
      .update({ n: _.inc(10), tags: _.push('x') })
    await db.collection('kept').doc('b').remove()
    await db
      .collection('kept')
      .where({ n: _.gte(3) })
      .update({ high: true })
    await db.collection('kept').doc('d').set({ n: 4 })
    const t = (await db.startTransaction()) as unknown as Tx
    await t
      .collection('kept')
      .doc('c')
      .update({ n: _.inc(100) })
    await t.collection('kept').add({ _id: 'from-tx', n: 5 })
    await t.commit()
    await first.kill9()

    expect(fs.existsSync(path.join(dataDir, 'LOCK'))).toBe(true) // a stale lock of a dead process…
    const second = await start() // …is taken over
    const after = await docsOf(second.app().database(), 'kept')
    expect(after).toEqual([
      { _id: 'a', n: 11, at: new Date('2024-05-01T00:00:00Z'), big: 2 ** 40, ratio: 0.25, tags: ['x'], high: true },
      { _id: 'c', n: 103, high: true },
      { _id: 'd', n: 4 },
      { _id: 'from-tx', n: 5 },
    ])
  })

  test('a second emulator cannot open a data dir that a live emulator holds', async () => {
    await expect(startTestEmulator({ dataDir })).rejects.toThrow(/in use by process/)
  })

  test('a torn last log line is ignored on restart; everything before it is kept', async () => {
    const current = running[running.length - 1]
    await current.app().database().collection('kept').add({ _id: 'before-tear', n: 6 })
    await current.kill9()
    fs.appendFileSync(path.join(dataDir, 'log.ejson'), '{"m":[{"c":"kept","doc":{"_id":"torn","n":{"$numberInt":"7"')

    const restarted = await start()
    const db = restarted.app().database()
    const ids = (await docsOf(db, 'kept')).map((doc) => (doc as { _id: string })._id)
    expect(ids).toEqual(['a', 'before-tear', 'c', 'd', 'from-tx'])
    await db.collection('kept').add({ _id: 'after-tear' })
    expect((await db.collection('kept').doc('after-tear').get()).data).toHaveLength(1)
  })
})

describe('indexes', () => {
  const INDEXES = { indexed: ['u', 'tags', 'p.q'] }
  let emulator: TestEmulator
  let db: Db
  let _: Db['command']
  const dataDir = makeTempDir('emulator-index-')

  /** Applies the same operation to the indexed collection and to an unindexed twin. */
  async function both(operation: (collection: string) => Promise<unknown>) {
    await operation('indexed')
    await operation('scanned')
  }

  function queries(): object[] {
    return [
      { u: 'u1' },
      { u: _.eq('u2') },
      { u: _.in(['u1', 'u3', 'nope']) },
      { u: _.in([]) },
      { u: 'u1', k: 1 },
      _.and([{ u: 'u4' }, { k: _.gt(0) }]),
      _.or([{ u: 'u5' }, { k: 2 }]),
      { tags: 't1' },
      { tags: _.in(['t3', 't9']) },
      { 'p.q': 2 },
      { _id: 'd7', u: 'u0' },
      { u: null },
      { u: 9 },
    ]
  }

  async function expectIndexMatchesScan() {
    for (const query of queries()) {
      const indexed = await docsOf(db, 'indexed', query)
      const scanned = await docsOf(db, 'scanned', query)
      expect({ query, docs: indexed }).toEqual({ query, docs: scanned })
      expect((await db.collection('indexed').where(query).count()).total).toBe(scanned.length)
    }
  }

  beforeAll(async () => {
    emulator = await startTestEmulator({ dataDir, env: { EMULATOR_INDEXES: JSON.stringify(INDEXES) } })
    db = emulator.app().database()
    _ = db.command
    const docs = Array.from({ length: 60 }, (_unused, i) => ({
      _id: `d${i}`,
      ...(i % 11 === 0 ? {} : { u: `u${i % 7}` }),
      k: i % 3,
      tags: [`t${i % 4}`, `t${i % 5}`],
      p: { q: i % 4 },
    }))
    await both((collection) => db.collection(collection).add(docs))
  })

  afterAll(async () => {
    await emulator?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  test('an indexed equality query returns the same documents as a scan', async () => {
    expect((await docsOf(db, 'indexed', { u: 'u1' })).length).toBeGreaterThan(0)
    await expectIndexMatchesScan()
  })

  test('…also after updates that change indexed fields, replacements and removes', async () => {
    await both((c) => db.collection(c).where({ k: 1 }).update({ u: 'u9' }))
    await both((c) =>
      db
        .collection(c)
        .doc('d3')
        .update({ u: _.remove(), tags: _.push('t1') }),
    )
    await both((c) =>
      db
        .collection(c)
        .doc('d4')
        .set({ u: 'u1', k: 0, p: { q: 2 } }),
    )
    await both((c) => db.collection(c).where({ u: 'u2' }).remove())
    await both((c) => db.collection(c).doc('d5').remove())
    await both((c) => db.collection(c).add({ _id: 'new', u: 'u1', tags: ['t3'] }))
    await expectIndexMatchesScan()
  })

  test('…after a transaction commit that changes indexed fields', async () => {
    for (const collection of ['indexed', 'scanned']) {
      const t = (await db.startTransaction()) as unknown as Tx
      await t.collection(collection).doc('d6').update({ u: 'u3' })
      await t.collection(collection).doc('d8').remove()
      await t.commit()
    }
    await expectIndexMatchesScan()
  })

  test('…and after a restart rebuilds the indexes from disk', async () => {
    await emulator.kill9()
    emulator = await startTestEmulator({ dataDir, env: { EMULATOR_INDEXES: JSON.stringify(INDEXES) } })
    db = emulator.app().database()
    _ = db.command
    await expectIndexMatchesScan()
  })
})
