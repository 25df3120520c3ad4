/**
 * Query and update operators as the SDK encodes them (wire reference §2.1, §2.2).
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator'

let emulator: TestEmulator
let db: ReturnType<ReturnType<TestEmulator['app']>['database']>
let _: (typeof db)['command']

const PEOPLE = [
  { _id: 'a', age: 10, tags: ['x', 'y'], title: 'Apple pie', scores: [{ s: 1 }, { s: 9 }], profile: { city: 'SZ', level: 1 }, born: new Date('2000-01-01'), nick: null },
  { _id: 'b', age: 20, tags: ['y'], title: 'banana', scores: [{ s: 3 }], profile: { city: 'GZ', level: 2 }, born: new Date('1990-01-01') },
  { _id: 'c', age: 30, tags: ['x', 'y', 'z'], title: 'Cherry', scores: [], profile: { city: 'SZ', level: 3 }, born: new Date('1980-01-01'), vip: true },
  { _id: 'd', age: 40, tags: [], title: 'date', profile: { city: 'BJ', level: 2 } },
]

beforeAll(async () => {
  emulator = await startTestEmulator()
  db = emulator.app().database()
  _ = db.command
  await db.collection('people').add(PEOPLE)
})

afterAll(async () => {
  await emulator?.stop()
})

async function ids(query: object): Promise<string[]> {
  const res = await db.collection('people').where(query).orderBy('_id', 'asc').get()
  return res.data.map((doc: { _id: string }) => doc._id)
}

describe('query operators', () => {
  test('gt / gte / lt / lte / eq / neq compare values', async () => {
    expect(await ids({ age: _.gt(20) })).toEqual(['c', 'd'])
    expect(await ids({ age: _.gte(20) })).toEqual(['b', 'c', 'd'])
    expect(await ids({ age: _.lt(20) })).toEqual(['a'])
    expect(await ids({ age: _.lte(20) })).toEqual(['a', 'b'])
    expect(await ids({ age: _.eq(30) })).toEqual(['c'])
    expect(await ids({ age: _.neq(30) })).toEqual(['a', 'b', 'd'])
  })

  test('in / nin match against a list; on arrays any element counts', async () => {
    expect(await ids({ age: _.in([10, 40]) })).toEqual(['a', 'd'])
    expect(await ids({ age: _.nin([10, 40]) })).toEqual(['b', 'c'])
    expect(await ids({ tags: _.in(['z']) })).toEqual(['c'])
    expect(await ids({ tags: 'x' })).toEqual(['a', 'c'])
  })

  test('all / size / elemMatch work on arrays', async () => {
    expect(await ids({ tags: _.all(['x', 'y']) })).toEqual(['a', 'c'])
    expect(await ids({ tags: _.size(1) })).toEqual(['b'])
    expect(await ids({ scores: _.elemMatch({ s: _.gt(5) }) })).toEqual(['a'])
  })

  test('exists / mod / not', async () => {
    expect(await ids({ vip: _.exists(true) })).toEqual(['c'])
    expect(await ids({ scores: _.exists(false) })).toEqual(['d'])
    // The SDK's typings miss the two-argument form it implements: _.mod(divisor, remainder).
    const mod = _.mod as unknown as (divisor: number, remainder: number) => object
    expect(await ids({ age: mod(20, 10) })).toEqual(['a', 'c'])
    expect(await ids({ age: _.not(_.eq(10)) })).toEqual(['b', 'c', 'd'])
  })

  test('null matches null and missing fields; neq(null) only set fields', async () => {
    expect(await ids({ nick: null })).toEqual(['a', 'b', 'c', 'd'])
    expect(await ids({ vip: _.neq(null) })).toEqual(['c'])
  })

  test('regular expressions: JS RegExp and db.RegExp with options', async () => {
    expect(await ids({ title: /^[ab]/i })).toEqual(['a', 'b'])
    expect(await ids({ title: db.RegExp({ regexp: 'rr', options: 'i' }) })).toEqual(['c'])
    expect(await ids({ title: /^apple/ })).toEqual([])
  })

  test('or / and / nor at the top level, and chained on a field', async () => {
    expect(await ids(_.or([{ age: 10 }, { title: 'date' }]))).toEqual(['a', 'd'])
    expect(await ids(_.and([{ age: _.gt(10) }, { age: _.lt(40) }]))).toEqual(['b', 'c'])
    expect(await ids(_.nor([{ age: 10 }, { age: 20 }]))).toEqual(['c', 'd'])
    expect(await ids({ age: _.gt(10).and(_.lt(40)) })).toEqual(['b', 'c'])
    expect(await ids({ age: _.eq(10).or(_.eq(40)) })).toEqual(['a', 'd'])
    expect(await ids({ age: _.gt(15), tags: 'x' })).toEqual(['c'])
  })

  test('dotted paths and nested objects address inner fields', async () => {
    expect(await ids({ 'profile.city': 'SZ' })).toEqual(['a', 'c'])
    expect(await ids({ profile: { city: 'SZ', level: _.gt(1) } })).toEqual(['c'])
    expect(await ids({ 'scores.s': 3 })).toEqual(['b'])
  })

  test('dates compare as dates', async () => {
    expect(await ids({ born: _.lt(new Date('1995-01-01')) })).toEqual(['b', 'c'])
    expect(await ids({ born: new Date('2000-01-01') })).toEqual(['a'])
  })
})

describe('update operators', () => {
  /** Applies `update` to a fresh document holding `initial`; `changes` is the expected `updated` (0 when nothing changes). */
  async function updated(initial: object, update: object, changes = 1): Promise<Record<string, unknown>> {
    const id = `u${Math.random().toString(16).slice(2)}`
    await db.collection('ops').add({ _id: id, ...initial })
    const res = await db.collection('ops').doc(id).update(update)
    expect(res.updated).toBe(changes)
    const { _id, ...rest } = (await db.collection('ops').doc(id).get()).data[0]
    expect(_id).toBe(id)
    return rest
  }

  test('inc / mul / max / min change numbers', async () => {
    expect(await updated({ n: 1, m: 2, hi: 5, lo: 5 }, { n: _.inc(2), m: _.mul(3), hi: _.max(9), lo: _.min(1), fresh: _.inc(4) })).toEqual({ n: 3, m: 6, hi: 9, lo: 1, fresh: 4 })
    expect(await updated({ hi: 5, lo: 5 }, { hi: _.max(1), lo: _.min(9) }, 0)).toEqual({ hi: 5, lo: 5 })
  })

  test('remove() unsets and rename() renames fields', async () => {
    expect(await updated({ a: 1, b: 2, c: 3 }, { a: _.remove(), b: _.rename('bb') })).toEqual({ bb: 2, c: 3 })
  })

  test('push appends one or many; with position/sort/slice it arranges the array', async () => {
    expect(await updated({ arr: [1] }, { arr: _.push(2) })).toEqual({ arr: [1, 2] })
    expect(await updated({ arr: [1] }, { arr: _.push([2, 3]) })).toEqual({ arr: [1, 2, 3] })
    expect(await updated({ arr: [5, 1] }, { arr: _.push({ each: [3, 9], sort: 1, slice: 3 }) })).toEqual({ arr: [1, 3, 5] })
    expect(await updated({ arr: [1, 2] }, { arr: _.push({ each: [0], position: 1 }) })).toEqual({ arr: [1, 0, 2] })
    expect(await updated({ arr: [2] }, { arr: _.unshift([0, 1]) })).toEqual({ arr: [0, 1, 2] })
  })

  test('pop / shift remove the last / first element', async () => {
    expect(await updated({ arr: [1, 2, 3] }, { arr: _.pop() })).toEqual({ arr: [1, 2] })
    expect(await updated({ arr: [1, 2, 3] }, { arr: _.shift() })).toEqual({ arr: [2, 3] })
  })

  test('pull removes values or matches of a condition; pullAll removes a list', async () => {
    expect(await updated({ arr: [1, 2, 1, 3] }, { arr: _.pull(1) })).toEqual({ arr: [2, 3] })
    expect(await updated({ arr: [1, 5, 8] }, { arr: _.pull(_.gt(4)) })).toEqual({ arr: [1] })
    expect(await updated({ arr: [1, 2, 3, 2] }, { arr: _.pullAll([2, 3]) })).toEqual({ arr: [1] })
  })

  test('addToSet adds only missing values', async () => {
    expect(await updated({ arr: ['a'] }, { arr: _.addToSet('a') }, 0)).toEqual({ arr: ['a'] })
    expect(await updated({ arr: ['a'] }, { arr: _.addToSet('b') })).toEqual({ arr: ['a', 'b'] })
    expect(await updated({ arr: ['a'] }, { arr: _.addToSet({ $each: ['a', 'c'] }) })).toEqual({ arr: ['a', 'c'] })
  })

  test('operators on dotted paths and nested objects change only the addressed fields', async () => {
    const result = await updated({ p: { q: 1, r: { s: 1 } }, keep: true }, { p: { q: _.inc(1), r: { t: 2 } }, 'p.u': 'new' })
    expect(result).toEqual({ p: { q: 2, r: { s: 1, t: 2 }, u: 'new' }, keep: true })
  })

  test('an update that changes nothing reports updated 0 (modified, not matched, documents)', async () => {
    expect(await updated({ a: 1 }, { a: 1 }, 0)).toEqual({ a: 1 })
  })

  test('set() inside an update replaces a whole nested object', async () => {
    expect(await updated({ p: { q: 1, r: 2 } }, { p: _.set({ z: 1 }) })).toEqual({ p: { z: 1 } })
  })
})
