import { builtinModules } from 'node:module'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(__dirname, '../..')
const config = JSON.parse(readFileSync(path.join(root, 'cloudbaserc.json'), 'utf8')) as {
  envId: string
  functionRoot: string
  functions: { name: string; handler: string; installDependency: boolean; envVariables: Record<string, string>; triggers?: { name: string; type: string; config: string }[] }[]
}
const functionsRoot = path.join(root, 'cloudfunctions')
const bundled = readdirSync(functionsRoot).filter((name) => existsSync(path.join(functionsRoot, name, 'src', 'index.ts')))

describe('deploy configuration (cloudbaserc.json)', () => {
  test('names exactly the functions that have a bundle, from the folder the bundles are in', () => {
    expect(path.resolve(root, config.functionRoot)).toBe(functionsRoot)
    expect(config.functions.map((fn) => fn.name).sort()).toEqual([...bundled].sort())
    expect(bundled.length).toBeGreaterThanOrEqual(3)
  })

  test('the env id comes from the brand configuration, not a hard-coded environment', () => {
    expect(config.envId).toBe('{{env.CLOUDBASE_ENV_ID}}')
  })

  test.each(bundled)('%s: the bundle exists, exports main and needs nothing but Node built-ins', (name) => {
    const entry = config.functions.find((fn) => fn.name === name)
    expect(entry?.handler).toBe('index.main')
    expect(entry?.installDependency).toBe(false)
    const file = path.join(functionsRoot, name, 'index.js')
    expect(existsSync(file)).toBe(true)
    const source = readFileSync(file, 'utf8')
    const required = [...source.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1].replace(/^node:/, ''))
    const external = required.filter((id) => !builtinModules.includes(id) && !builtinModules.includes(id.split('/')[0]))
    expect(external).toEqual([])
    expect(typeof require(file).main).toBe('function')
  })

  test('only the function that signs and reads counter tokens gets the secret from the environment', () => {
    expect(config.functions.filter((fn) => fn.envVariables.MEMBER_CODE_SECRET).map((fn) => [fn.name, fn.envVariables.MEMBER_CODE_SECRET])).toEqual([['staff', '{{env.MEMBER_CODE_SECRET}}']])
  })
  test('only the function that makes share codes gets their secret', () => {
    expect(config.functions.filter((fn) => fn.envVariables.SHARE_CODE_SECRET).map((fn) => [fn.name, fn.envVariables.SHARE_CODE_SECRET])).toEqual([['social', '{{env.SHARE_CODE_SECRET}}']])
  })
  test('every timer trigger the code accepts is wired in cloudbaserc.json, and nothing else is', () => {
    // the jobs function is the one timer entry point: its TRIGGERS map names what it accepts
    const accepted = [...(require(path.join(functionsRoot, 'jobs', 'index.js')).TRIGGERS as ReadonlyMap<string, unknown>).keys()].sort()
    const wired = (config.functions.find((fn) => fn.name === 'jobs')?.triggers ?? [])
      .filter((trigger) => trigger.type === 'timer')
      .map((trigger) => trigger.name)
      .sort()
    expect(accepted.length).toBeGreaterThan(0)
    expect(wired).toEqual(accepted)
    // no other function accepts a timer event (a trigger name there would be one nobody wires)
    for (const name of bundled.filter((fn) => fn !== 'jobs')) {
      const sources = readdirSync(path.join(functionsRoot, name, 'src')).map((file) => readFileSync(path.join(functionsRoot, name, 'src', file), 'utf8'))
      expect({ name, acceptsTimer: sources.some((source) => /TriggerName|Type === 'Timer'/.test(source)) }).toEqual({ name, acceptsTimer: false })
      expect({ name, triggers: config.functions.find((fn) => fn.name === name)?.triggers ?? [] }).toEqual({ name, triggers: [] })
    }
  })
})
