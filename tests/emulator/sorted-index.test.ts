/**
 * Range and order queries on `_id` and on declared indexes are served from a sorted index
 * (emulator/database/sorted-index.ts): pages come out as a full sort would give them, through
 * the real SDK, while documents are inserted, moved and removed.
 */
import { compareValues, SortedIndex } from '../../emulator/database/sorted-index'
import { startTestEmulator, type TestEmulator } from '../support/emulator'

describe('the sorted index', () => {
  test("orders by Mongo's order of types, then value, then insertion; walks within bounds both ways", () => {
    const index = new SortedIndex('v')
    index.build([])
    const docs = [{ v: 3 }, { v: 'b' }, {}, { v: new Date(5) }, { v: 1 }, { v: 'a' }, { v: null }, { v: 3 }, { v: true }]
    docs.forEach((doc, i) => index.add(`k${i}`, { _id: `k${i}`, ...doc }, i))
    expect([...index.walk(1)]).toEqual(['k2', 'k6', 'k4', 'k0', 'k7', 'k5', 'k1', 'k8', 'k3'])
    // built at once from the same documents (as on first use after loading), the same order
    const loaded = new SortedIndex('v')
    loaded.build(docs.map((doc, i) => [`k${i}`, { _id: `k${i}`, ...doc }, i] as [string, Record<string, unknown>, number]))
    expect([...loaded.walk(1)]).toEqual([...index.walk(1)])
    expect([...index.walk(-1)]).toEqual(['k3', 'k8', 'k1', 'k5', 'k7', 'k0', 'k4', 'k6', 'k2'])
    expect([...index.walk(1, { lower: { value: 1, inclusive: false }, rank: 2 })]).toEqual(['k0', 'k7'])
    expect([...index.walk(1, { upper: { value: 'b', inclusive: false }, rank: 3 })]).toEqual(['k5'])
    expect([...index.walk(-1, { lower: { value: 1, inclusive: true }, upper: { value: 3, inclusive: true }, rank: 2 })]).toEqual(['k7', 'k0', 'k4'])
    index.remove('k0', { _id: 'k0', v: 3 }, 0)
    expect([...index.walk(1, { lower: { value: 3, inclusive: true }, upper: { value: 3, inclusive: true } })]).toEqual(['k7'])
    expect(compareValues(new Date(1), new Date(2))).toBeLessThan(0)
  })

  test('a field holding an array in some document is left to the scan', () => {
    const index = new SortedIndex('tags')
    index.build([])
    index.add('a', { _id: 'a', tags: 'x' }, 1)
    expect(index.servable).toBe(true)
    index.add('b', { _id: 'b', tags: ['x', 'y'] }, 2)
    expect(index.servable).toBe(false)
  })
})

describe('ordered pages through the SDK', () => {
  let emulator: TestEmulator
  const N = 3000
  interface Thing {
    _id: string
    due?: Date | null
    n: number
  }
  let things: Thing[] = []

  beforeAll(async () => {
    emulator = await startTestEmulator({ env: { EMULATOR_INDEXES: JSON.stringify({ things: ['due'] }) } })
    things = Array.from({ length: N }, (_, i) => {
      const id = `t${((i * 7919) % N).toString(36).padStart(4, '0')}`
      const thing: Thing = { _id: id, n: i }
      if (i % 10 === 1) thing.due = null
      else if (i % 10 !== 2) thing.due = new Date(1_800_000_000_000 + ((i * 37) % 500) * 60_000)
      return thing
    })
    const db = emulator.app().database()
    for (let i = 0; i < N; i += 500) await db.collection('things').add(things.slice(i, i + 500))
  })
  afterAll(() => emulator?.stop())

  const byId = (a: Thing, b: Thing) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)

  test('paging by _id from the start visits every document once, in _id order', async () => {
    const db = emulator.app().database()
    const _ = db.command
    const seen: string[] = []
    let after = ''
    for (;;) {
      const { data } = await db
        .collection('things')
        .where({ _id: _.gt(after) })
        .orderBy('_id', 'asc')
        .limit(700)
        .get()
      seen.push(...(data as Thing[]).map((thing) => thing._id))
      if (data.length < 700) break
      after = (data[data.length - 1] as Thing)._id
    }
    expect(seen).toEqual([...things].sort(byId).map((thing) => thing._id))
  })

  test('a range on a declared field, ordered by it, with skip; descending too', async () => {
    const db = emulator.app().database()
    const _ = db.command
    const cut = new Date(1_800_000_000_000 + 200 * 60_000)
    const due = (thing: Thing) => (thing.due instanceof Date ? thing.due.getTime() : -1)
    // ties keep insertion order, as a stable sort of the natural order would
    const expected = things.filter((thing) => due(thing) >= 0 && due(thing) <= cut.getTime()).sort((a, b) => due(a) - due(b) || a.n - b.n)
    const page = await db
      .collection('things')
      .where({ due: _.lte(cut) })
      .orderBy('due', 'asc')
      .skip(40)
      .limit(100)
      .get()
    expect((page.data as Thing[]).map((thing) => thing._id)).toEqual(expected.slice(40, 140).map((thing) => thing._id))
    const last = await db
      .collection('things')
      .where({ due: _.lte(cut) })
      .orderBy('due', 'desc')
      .limit(5)
      .get()
    expect((last.data as Thing[]).map((thing) => thing._id)).toEqual(
      [...expected]
        .sort((a, b) => due(b) - due(a) || b.n - a.n)
        .slice(0, 5)
        .map((thing) => thing._id),
    )
  })

  test('documents moved or removed leave and join the order at once', async () => {
    const db = emulator.app().database()
    const _ = db.command
    const firstDue = async (direction: 'asc' | 'desc') =>
      (
        (
          await db
            .collection('things')
            .where({ due: _.gt(new Date(0)) })
            .orderBy('due', direction)
            .limit(1)
            .get()
        ).data as Thing[]
      )[0]
    const first = await firstDue('asc')
    await db
      .collection('things')
      .doc(first._id)
      .update({ due: new Date(1_900_000_000_000) })
    expect((await firstDue('asc'))._id).not.toBe(first._id)
    expect((await firstDue('desc'))._id).toBe(first._id)
    await db.collection('things').doc(first._id).remove()
    expect((await firstDue('desc'))._id).not.toBe(first._id)
  })
})
