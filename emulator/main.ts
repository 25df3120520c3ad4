/**
 * Command line entry of the local CloudBase emulator.
 *
 *   node --import tsx emulator/main.ts [--port 18080] [--host 127.0.0.1] [--data .data] [--seed] [--h5 dist/h5]
 *
 * Prints one line `EMULATOR_URL=http://host:port` once it is listening (port 0 picks a free one).
 */
import path from 'node:path'
import { startEmulator } from './emulator'

function readArgs(argv: string[]) {
  const options: { port: number; host: string; dataDir: string; seed: boolean; h5Dir: string | undefined; functionsDir: string } = {
    port: Number(process.env.EMULATOR_PORT ?? 18080),
    host: process.env.EMULATOR_HOST ?? '127.0.0.1',
    dataDir: process.env.EMULATOR_DATA ?? '.data',
    seed: process.env.EMULATOR_SEED === 'true',
    h5Dir: process.env.EMULATOR_H5 || undefined,
    functionsDir: path.resolve(__dirname, '..', 'cloudfunctions'),
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const next = () => {
      const value = argv[++i]
      if (value === undefined) throw new Error(`missing value for ${arg}`)
      return value
    }
    if (arg === '--port') options.port = Number(next())
    else if (arg === '--host') options.host = next()
    else if (arg === '--data') options.dataDir = next()
    else if (arg === '--seed') options.seed = true
    else if (arg === '--h5') options.h5Dir = next()
    else if (arg === '--functions') options.functionsDir = next()
    else throw new Error(`unknown argument ${arg}`)
  }
  return options
}

async function run() {
  const options = readArgs(process.argv.slice(2))
  const emulator = await startEmulator({ ...options, dataDir: path.resolve(options.dataDir) })
  process.stdout.write(`EMULATOR_URL=${emulator.url}\n`)
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

run().catch((error) => {
  console.error(error)
  process.exit(1)
})
