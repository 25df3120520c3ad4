/**
 * The database core runs only the actions it names: a name that is a key of every object
 * (`constructor`, `toString`, `__proto__` …) is an unknown action, not a call into Object.
 */
import fs from 'node:fs'
import { EmulatorError } from '../../emulator/errors'
import { startServer, type EmulatorServer } from '../../emulator/server'
import { makeTempDir } from '../support/emulator'

let server: EmulatorServer
const dataDir = makeTempDir('emulator-action-names-')

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir, indexes: {} })
})

afterAll(async () => {
  await server?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

test.each(['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'database.constructor'])('database action %s is an unknown action (INVALID_PARAM)', async (action) => {
  const refused = await server.db.handle(action, {}).then(
    () => null,
    (error: unknown) => error,
  )
  expect(refused).toBeInstanceOf(EmulatorError)
  expect(refused).toMatchObject({ code: 'INVALID_PARAM' })
})

test('over HTTP too', async () => {
  const response = await fetch(server.adminUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'database.constructor' }) })
  expect(await response.json()).toMatchObject({ code: 'INVALID_PARAM' })
})
