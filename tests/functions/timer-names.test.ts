/**
 * The jobs function runs only the timers it names: a TriggerName that is a key of every object
 * (`constructor`, `toString`, `__proto__` …) or not a string is refused with INVALID_ARGUMENT
 * naming TriggerName, and runs nothing.
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { callerFor, invocations } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const consoleCaller = () => callerFor(emulator.adminUrl, null)
const timer = (TriggerName: unknown) => ({ Type: 'Timer', TriggerName, Time: new Date().toISOString() })

const OBJECT_KEYS = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__']

describe('jobs timer names', () => {
  test.each(OBJECT_KEYS)('TriggerName %s is refused with INVALID_ARGUMENT naming TriggerName', async (name) => {
    const answer = await consoleCaller().raw('jobs', timer(name))
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'TriggerName' }] } })
  })

  test.each([
    ['an unknown name', 'hourly'],
    ['a known name in an array (String(["nightly"]) is "nightly")', ['nightly']],
    ['a known name in other case', 'Nightly'],
    ['a known name with whitespace', 'nightly '],
    ['a number', 7],
    ['nothing', undefined],
    ['an object', { toString: 'nightly' }],
  ])('%s is refused with INVALID_ARGUMENT', async (_what, name) => {
    expect(await consoleCaller().raw('jobs', timer(name))).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'TriggerName' }] } })
  })

  test('a refused name touches no database', async () => {
    await consoleCaller().raw('jobs', timer('constructor'))
    const [last] = await invocations(emulator.url, { function: 'jobs', last: 1 })
    expect(last).toMatchObject({ functionName: 'jobs', adminCalls: 0 })
  })

  test('the named timers still run', async () => {
    expect(await consoleCaller().raw('jobs', timer('minutely'))).toMatchObject({
      ok: true,
      data: { sweeps: expect.objectContaining({ 'orders-unpaid': null, 'mall-holds': null }), facts: expect.any(Object) },
    })
  })

  test('a WeChat user is still refused before the name is looked at', async () => {
    expect(await callerFor(emulator.adminUrl, 'o_someone').raw('jobs', timer('constructor'))).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })
})
