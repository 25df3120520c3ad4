/**
 * Transactions (wire reference §4) and atomic conditional updates, through the real SDK.
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator'

let emulator: TestEmulator
let db: ReturnType<ReturnType<TestEmulator['app']>['database']>
let _: (typeof db)['command']

/** The SDK's Transaction as used here (its typings are incomplete). */
interface Tx {
  collection(name: string): ReturnType<typeof db.collection>
  commit(): Promise<unknown>
  rollback(reason?: unknown): Promise<unknown>
}

beforeAll(async () => {
  emulator = await startTestEmulator()
  db = emulator.app().database()
  _ = db.command
})

afterAll(async () => {
  await emulator?.stop()
})

async function valueOf(collection: string, id: string): Promise<Record<string, unknown> | undefined> {
  return (await db.collection(collection).doc(id).get()).data[0]
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('expected the call to fail')
}

const startTx = () => db.startTransaction() as unknown as Promise<Tx>

test('runTransaction commits all its writes together; they are visible afterwards', async () => {
  await db.collection('accounts').add([
    { _id: 'alice', balance: 100 },
    { _id: 'bob', balance: 0 },
    { _id: 'gone', balance: 1 },
  ])
  const result = await db.runTransaction(async (transaction: unknown) => {
    const t = transaction as unknown as Tx
    const alice = (await t.collection('accounts').doc('alice').get()).data as unknown as { balance: number }
    await t
      .collection('accounts')
      .doc('alice')
      .update({ balance: alice.balance - 30 })
    await t
      .collection('accounts')
      .doc('bob')
      .update({ balance: _.inc(30) })
    await t.collection('accounts').add({ _id: 'transfer-1', amount: 30 })
    await t.collection('accounts').doc('carol').set({ balance: 5 })
    await t.collection('accounts').doc('gone').remove()
    return 'done'
  })
  expect(result).toBe('done')
  expect(await valueOf('accounts', 'alice')).toEqual({ _id: 'alice', balance: 70 })
  expect(await valueOf('accounts', 'bob')).toEqual({ _id: 'bob', balance: 30 })
  expect(await valueOf('accounts', 'transfer-1')).toEqual({ _id: 'transfer-1', amount: 30 })
  expect(await valueOf('accounts', 'carol')).toEqual({ _id: 'carol', balance: 5 })
  expect(await valueOf('accounts', 'gone')).toBeUndefined()
})

test('transaction.rollback() discards every write, and runTransaction rejects with the reason', async () => {
  await db.collection('rollback').add({ _id: 'r', n: 1 })
  const outcome = db.runTransaction(async (transaction: unknown) => {
    const t = transaction as unknown as Tx
    await t.collection('rollback').doc('r').update({ n: 2 })
    await t.collection('rollback').add({ _id: 'r2' })
    await t.rollback({ reason: 'changed my mind' })
  })
  await expect(outcome).rejects.toEqual({ reason: 'changed my mind' })
  expect(await valueOf('rollback', 'r')).toEqual({ _id: 'r', n: 1 })
  expect(await valueOf('rollback', 'r2')).toBeUndefined()
})

test('a transaction reads its own writes; others do not see them before commit', async () => {
  await db.collection('ryow').add({ _id: 'x', n: 1, tag: 'a' })
  const t = await startTx()
  await t
    .collection('ryow')
    .doc('x')
    .update({ n: _.inc(1) })
  await t.collection('ryow').add({ _id: 'y', n: 10, tag: 'a' })
  expect((await t.collection('ryow').doc('x').get()).data).toEqual({ _id: 'x', n: 2, tag: 'a' })
  const inside = await t.collection('ryow').where({ tag: 'a' }).get()
  expect(inside.data.map((doc: { _id: string }) => doc._id).sort()).toEqual(['x', 'y'])
  expect(await valueOf('ryow', 'x')).toEqual({ _id: 'x', n: 1, tag: 'a' })
  expect(await valueOf('ryow', 'y')).toBeUndefined()
  await t.commit()
  expect(await valueOf('ryow', 'x')).toEqual({ _id: 'x', n: 2, tag: 'a' })
  expect(await valueOf('ryow', 'y')).toEqual({ _id: 'y', n: 10, tag: 'a' })
})

test('two concurrent runTransaction read+increment calls both succeed (SDK retry on conflict): +2', async () => {
  await db.collection('counters').add({ _id: 'c', n: 0 })
  const increment = () =>
    db.runTransaction(async (transaction: unknown) => {
      const t = transaction as unknown as Tx
      const doc = (await t.collection('counters').doc('c').get()).data as unknown as { n: number }
      await new Promise((resolve) => setTimeout(resolve, 20)) // widen the race window
      await t
        .collection('counters')
        .doc('c')
        .update({ n: doc.n + 1 })
    })
  await Promise.all([increment(), increment()])
  expect(await valueOf('counters', 'c')).toEqual({ _id: 'c', n: 2 })
})

test('writing a document another open transaction has written fails at once with DATABASE_TRANSACTION_CONFLICT', async () => {
  await db.collection('ww').add({ _id: 'w', n: 0 })
  const first = await startTx()
  const second = await startTx()
  await first.collection('ww').doc('w').update({ n: 1 })
  const error = await errorOf(second.collection('ww').doc('w').update({ n: 2 }))
  expect(error.code).toBe('DATABASE_TRANSACTION_CONFLICT')
  expect(error.message).toEqual(expect.any(String))
  await first.commit()
  expect(await valueOf('ww', 'w')).toEqual({ _id: 'w', n: 1 })
})

test('a committed non-transactional _.inc between a transaction read and its commit makes the commit fail; nothing applies', async () => {
  await db.collection('rw').add([
    { _id: 'v', n: 0 },
    { _id: 'other', n: 0 },
  ])
  const t = await startTx()
  await t.collection('rw').doc('v').get()
  await t.collection('rw').doc('other').update({ n: 100 })
  await db
    .collection('rw')
    .doc('v')
    .update({ n: _.inc(1) })
  const error = await errorOf(t.commit())
  expect(error.code).toBe('DATABASE_TRANSACTION_CONFLICT')
  expect(await valueOf('rw', 'v')).toEqual({ _id: 'v', n: 1 })
  expect(await valueOf('rw', 'other')).toEqual({ _id: 'other', n: 0 })
})

test('inserting in a transaction an _id that exists at commit fails with a duplicate-key error', async () => {
  const t = await startTx()
  await t.collection('txdup').add({ _id: 'same', from: 'tx' })
  await db.collection('txdup').add({ _id: 'same', from: 'outside' })
  const error = await errorOf(t.commit())
  expect(error.message).toMatch(/E11000|duplicate key/)
  expect(await valueOf('txdup', 'same')).toEqual({ _id: 'same', from: 'outside' })
})

test('an ended or unknown transactionId is DATABASE_TRANSACTION_FAIL', async () => {
  const t = await startTx()
  await t.commit()
  expect((await errorOf(t.commit())).code).toBe('DATABASE_TRANSACTION_FAIL')
  expect((await errorOf(t.collection('any').doc('x').get())).code).toBe('DATABASE_TRANSACTION_FAIL')
})

test('50 concurrent where({_id, n: _.lt(10)}).update({n: _.inc(1)}) stop exactly at 10', async () => {
  await db.collection('stock').add({ _id: 's', n: 0 })
  const results = await Promise.all(
    Array.from({ length: 50 }, () =>
      db
        .collection('stock')
        .where({ _id: 's', n: _.lt(10) })
        .update({ n: _.inc(1) }),
    ),
  )
  expect(results.filter((res) => res.updated === 1)).toHaveLength(10)
  expect(await valueOf('stock', 's')).toEqual({ _id: 's', n: 10 })
})
