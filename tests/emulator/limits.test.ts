/**
 * What CloudBase's limits do, as the emulator models them: an invocation past its function's time
 * limit (cloudbaserc.json `timeout`, here overridden to 400 ms) has its later database calls
 * refused, as its instance would be gone; and the latency model adds a fixed delay to every
 * database call (EMULATOR_DB_LATENCY_MS), concurrent calls overlapping as they would.
 */
import path from 'node:path'
import { functionTimeLimits } from '../../emulator/emulator'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { planCrash } from '../support/functions'

const fixtures = path.join(__dirname, 'fixtures')

describe('time limits', () => {
  let emulator: TestEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator({ functionsDir: fixtures, env: { EMULATOR_TIME_LIMITS_MS: JSON.stringify({ slow: 400 }) } })
  })
  afterAll(() => emulator?.stop())

  const ids = async () => ((await emulator.app().database().collection('slow').get()).data as { _id: string }[]).map((doc) => doc._id).sort()

  test('within its limit an invocation finishes; past it, the caller gets an error and the late write is refused', async () => {
    await expect(emulator.app().callFunction({ name: 'slow', data: { id: 'quick', waitMs: 10 } })).resolves.toMatchObject({ result: { done: true } })
    await expect(emulator.app().callFunction({ name: 'slow', data: { id: 'late', waitMs: 700 } })).rejects.toMatchObject({ code: 'FUNCTIONS_EXECUTE_FAIL' })
    // the function's code goes on after the limit and tries its second write
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(await ids()).toEqual(['late:before', 'quick:after', 'quick:before'])
    const invocations = (await (await fetch(`${emulator.url}/emulator/invocations?function=slow`)).json()) as { invocations: { outcome: string }[] }
    expect(invocations.invocations.map((one) => one.outcome)).toEqual(['ok', 'timeout'])
  })

  test('a crashed invocation stays dead: a call its code still had in flight is dropped after it ended', async () => {
    await planCrash(emulator.url, { functionName: 'orphan', afterCalls: 1 })
    await expect(emulator.app().callFunction({ name: 'orphan', data: { id: 'crashed', laterMs: 300 } })).rejects.toMatchObject({ code: 'FUNCTIONS_EXECUTE_FAIL' })
    // without a crash the same code's late write lands (so the wait below is long enough to see it)
    await expect(emulator.app().callFunction({ name: 'orphan', data: { id: 'alive', laterMs: 300 } })).resolves.toMatchObject({ result: { done: true } })
    const orphans = async () => ((await emulator.app().database().collection('orphan').get()).data as { _id: string }[]).map((doc) => doc._id).sort()
    for (let tries = 0; tries < 50 && !(await orphans()).includes('alive:in-flight'); tries++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await orphans()).toEqual(['alive:first', 'alive:in-flight', 'alive:second', 'crashed:first'])
  })

  test("limits are the functions' timeouts in cloudbaserc.json, at most CloudBase's 900 s", () => {
    const limits = functionTimeLimits()
    expect(limits.get('jobs')).toBe(900_000)
    expect(limits.get('staff')).toBe(10_000)
    for (const ms of limits.values()) expect(ms).toBeLessThanOrEqual(900_000)
  })
})

describe('the latency model', () => {
  let emulator: TestEmulator
  const LATENCY = 40
  beforeAll(async () => {
    emulator = await startTestEmulator({ env: { EMULATOR_DB_LATENCY_MS: String(LATENCY) } })
    await emulator.app().database().collection('lat').add({ _id: 'x' })
  })
  afterAll(() => emulator?.stop())

  test('every database call waits the configured delay; calls side by side overlap', async () => {
    const db = emulator.app().database()
    let started = Date.now()
    for (let i = 0; i < 5; i++) await db.collection('lat').doc('x').get()
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * LATENCY)
    started = Date.now()
    await Promise.all(Array.from({ length: 10 }, () => db.collection('lat').doc('x').get()))
    expect(Date.now() - started).toBeLessThan(10 * LATENCY)
  })
})
