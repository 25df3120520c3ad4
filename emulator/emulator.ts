import { startServer, type EmulatorServer } from './server'
export interface EmulatorOptions { host: string; port: number; dataDir: string; seed: boolean; h5Dir?: string; functionsDir: string }
export async function startEmulator(options: EmulatorOptions): Promise<EmulatorServer> {
  return startServer({ host: options.host, port: options.port, dataDir: options.dataDir })
}
