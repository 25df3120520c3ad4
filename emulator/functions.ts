/**
 * Runs cloud functions in this process the way CloudBase runs them: `main(event, context)`
 * from the bundled `cloudfunctions/<name>/index.js`, with the caller's WeChat identity in the
 * environment, where the function's own `tcb.auth().getUserInfo()` reads it.
 *
 * Many invocations run at once here, while in CloudBase each has its own instance, so each
 * invocation gets its own view of `process.env` through AsyncLocalStorage: the variables of
 * one caller are never seen by another.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { BusinessClock } from './clock'
import type { CallVerdict } from './server'
import { EmulatorError } from './errors'

export interface WeChatIdentity {
  openid: string
  appid?: string
  unionid?: string
}

export interface Invocation {
  id: string
  functionName: string
  action: string | null
  openid: string
  startedAt: number
  durationMs: number
  /** database and other admin calls the function made during this invocation */
  adminCalls: number
  outcome: 'ok' | 'error' | 'crash' | 'timeout'
  errorCode: string | null
  /** the answer's error reason (docs/errors.md), when it failed */
  errorReason: string | null
  /** the planned fault (POST /emulator/faults) this invocation drew */
  fault: FaultPlan['effect'] | null
}

type Main = (event: unknown, context: Record<string, unknown>) => unknown

const invocationEnv = new AsyncLocalStorage<Record<string, string>>()
let envInstalled = false

/** Replaces process.env once with a view that overlays the current invocation's variables. */
function installInvocationEnv() {
  if (envInstalled) return
  envInstalled = true
  const base = process.env
  process.env = new Proxy(base, {
    set(target, key, value) {
      return Reflect.set(target, key, value)
    },
    get(target, key) {
      const overlay = invocationEnv.getStore()
      if (overlay && typeof key === 'string' && key in overlay) return overlay[key]
      return Reflect.get(target, key)
    },
    has(target, key) {
      const overlay = invocationEnv.getStore()
      return (overlay !== undefined && typeof key === 'string' && key in overlay) || Reflect.has(target, key)
    },
    ownKeys(target) {
      const overlay = invocationEnv.getStore()
      return overlay ? [...new Set([...Reflect.ownKeys(target), ...Object.keys(overlay)])] : Reflect.ownKeys(target)
    },
    getOwnPropertyDescriptor(target, key) {
      const overlay = invocationEnv.getStore()
      if (overlay && typeof key === 'string' && key in overlay) {
        return { value: overlay[key], writable: true, enumerable: true, configurable: true }
      }
      return Reflect.getOwnPropertyDescriptor(target, key)
    },
  })
}

/**
 * A planned fault: the next `times` invocations of a function (and action) die after `afterCalls`
 * admin calls (`crash`), or their later calls wait until the test resumes them (`pause`: a worker
 * held mid-work while another takes its shard over).
 */
export interface FaultPlan {
  effect: 'crash' | 'pause'
  functionName: string
  action?: string
  /** only invocations whose event has this key (e.g. `JobWorker`) */
  eventKey?: string
  /** only invocations whose event, as JSON, contains this (e.g. a job run's name) */
  eventIncludes?: string
  afterCalls: number
  times: number
}

export interface FunctionHostOptions {
  functionsDir: string
  adminUrl: string
  /** settings every function gets, like cloudbaserc.json's envVariables in production */
  settings: Record<string, string>
  callsFor(invocationId: string): number
  /** the business clock the functions read "now" from */
  clock: BusinessClock
  /** each function's time limit (cloudbaserc.json `timeout`), ms */
  timeLimitsMs?: ReadonlyMap<string, number>
  /** the limit of a function not listed */
  timeoutMs?: number
}

export class FunctionHost {
  private readonly modules = new Map<string, Main>()
  private readonly log: Invocation[] = []
  private sequence = 0
  private readonly faults: FaultPlan[] = []
  /** invocation id → admin calls it may make before it "crashes" */
  private readonly doomed = new Map<string, number>()
  /** invocation id → admin calls it makes before its calls wait for `resumePaused` */
  private readonly paused = new Map<string, number>()
  private held: (() => void)[] = []
  /** invocation id → the instant its time limit passes (later database calls are refused) */
  private readonly deadlines = new Map<string, number>()

  constructor(private readonly options: FunctionHostOptions) {
    installInvocationEnv()
    // What CloudBase injects into every function instance; these point the SDK at the emulator.
    Object.assign(process.env, {
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: options.adminUrl }),
      SCF_NAMESPACE: 'local',
      TENCENTCLOUD: 'true',
      TENCENTCLOUD_SECRETID: 'local-secret-id',
      TENCENTCLOUD_SECRETKEY: 'local-secret-key',
      SILENCE: 'true',
    })
  }

  private load(name: string): Main {
    const cached = this.modules.get(name)
    if (cached) return cached
    const file = path.join(this.options.functionsDir, name, 'index.js')
    if (!/^[a-z][a-z0-9_-]*$/.test(name) || !existsSync(file)) {
      throw new EmulatorError('FUNCTIONS_EXECUTE_FAIL', `function not found: ${name} (run npm run build:functions)`)
    }
    const main = (require(file) as { main?: Main }).main
    if (typeof main !== 'function') throw new EmulatorError('FUNCTIONS_EXECUTE_FAIL', `function ${name} exports no main`)
    this.modules.set(name, main)
    return main
  }

  planFault(plan: FaultPlan) {
    this.faults.push({ ...plan })
  }

  /**
   * What becomes of an invocation's n-th admin call (see EmulatorServer.setCallGate): dropped
   * after a planned crash; refused after its time limit, when CloudBase would have killed the
   * instance (the code keeps running here, but nothing it sends takes effect any more).
   */
  verdictOn(invocationId: string, callNumber: number): CallVerdict | Promise<CallVerdict> {
    const limit = this.doomed.get(invocationId)
    if (limit !== undefined && callNumber > limit) return 'drop'
    const pauseAfter = this.paused.get(invocationId)
    if (pauseAfter !== undefined && callNumber > pauseAfter) return new Promise<void>((resolve) => this.held.push(resolve)).then(() => this.verdictOn(invocationId, callNumber))
    const deadline = this.deadlines.get(invocationId)
    return deadline === undefined || Date.now() <= deadline ? 'allow' : 'refuse'
  }

  /** How many calls of paused invocations are waiting. */
  heldCalls(): number {
    return this.held.length
  }

  /** Lets every paused invocation go on; its later calls are not held again. */
  resumePaused(): void {
    this.paused.clear()
    const held = this.held
    this.held = []
    for (const resume of held) resume()
  }

  timeLimitOf(name: string): number {
    return this.options.timeLimitsMs?.get(name) ?? this.options.timeoutMs ?? 20_000
  }

  private claimFault(name: string, event: unknown): FaultPlan | undefined {
    const action = (event as { action?: unknown } | null)?.action
    const keyed = (plan: FaultPlan) =>
      (!plan.eventKey || (typeof event === 'object' && event !== null && plan.eventKey in event)) && (!plan.eventIncludes || JSON.stringify(event ?? null).includes(plan.eventIncludes))
    const index = this.faults.findIndex((plan) => plan.functionName === name && (!plan.action || plan.action === action) && keyed(plan))
    if (index < 0) return undefined
    const plan = this.faults[index]
    if (--plan.times <= 0) this.faults.splice(index, 1)
    return plan
  }

  async invoke(name: string, event: unknown, identity: WeChatIdentity | null): Promise<unknown> {
    const main = this.load(name)
    const id = `inv${(++this.sequence).toString(36)}${randomBytes(3).toString('hex')}`
    const fault = this.claimFault(name, event)
    if (fault?.effect === 'crash') this.doomed.set(id, fault.afterCalls)
    if (fault?.effect === 'pause') this.paused.set(id, fault.afterCalls)
    const environment: Record<string, string> = {
      ...this.options.settings,
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP',
      WX_OPENID: identity?.openid ?? '',
      WX_APPID: identity ? (identity.appid ?? 'wx0000000000000000') : '',
      WX_UNIONID: identity?.unionid ?? '',
      WX_CLIENTIP: identity ? '127.0.0.1' : '',
      TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TCB_SOURCE',
      TCB_ENV: 'local',
      TCB_SEQID: id,
      TCB_SOURCE: identity ? 'wx_client' : 'tcb_admin',
      SCF_FUNCTIONNAME: name,
      BUSINESS_CLOCK_OFFSET_MS: String(this.options.clock.offsetMs),
    }
    const context = {
      request_id: id,
      function_name: name,
      function_version: '$LATEST',
      namespace: 'local',
      memory_limit_in_mb: 256,
      time_limit_in_ms: this.timeLimitOf(name),
      environment: JSON.stringify(environment),
    }
    const startedAt = Date.now()
    this.deadlines.set(id, startedAt + context.time_limit_in_ms)
    const record = (outcome: Invocation['outcome'], result: unknown) => {
      const error = (result as { ok?: boolean; error?: { code?: string; reason?: string } } | null)?.error
      this.log.push({
        id,
        functionName: name,
        action: typeof (event as { action?: unknown })?.action === 'string' ? (event as { action: string }).action : null,
        openid: identity?.openid ?? '',
        startedAt,
        durationMs: Date.now() - startedAt,
        adminCalls: this.options.callsFor(id),
        outcome: outcome === 'ok' && error ? 'error' : outcome,
        errorCode: error?.code ?? null,
        errorReason: error?.reason ?? null,
        fault: fault?.effect ?? null,
      })
      if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000)
    }
    let timer: NodeJS.Timeout | undefined
    // set by the limit's timer itself: a timer that fires on the limit's very millisecond is still a timeout
    let timedOut = false
    try {
      const result = await invocationEnv.run(environment, () =>
        Promise.race([
          Promise.resolve(main(event, context)),
          new Promise((_, reject) => {
            timer = setTimeout(() => {
              timedOut = true
              reject(new Error(`function ${name} timed out`))
            }, context.time_limit_in_ms)
          }),
        ]),
      )
      record('ok', result)
      return result
    } catch (error) {
      record(timedOut ? 'timeout' : 'crash', null)
      throw new EmulatorError('FUNCTIONS_EXECUTE_FAIL', `function ${name} failed: ${(error as Error).message}`)
    } finally {
      clearTimeout(timer)
      // a crashed invocation stays doomed: calls its code still has in flight (an SDK retry, a
      // sibling promise) would have died with the instance
      this.paused.delete(id)
      if (fault?.effect === 'crash' && this.options.callsFor(id) > fault.afterCalls) setTimeout(() => this.doomed.delete(id), 10 * 60_000).unref()
      else this.doomed.delete(id)
      // the deadline stays: a timed-out invocation's code may still try to write
      if (!timedOut) this.deadlines.delete(id)
      else setTimeout(() => this.deadlines.delete(id), 10 * 60_000).unref()
    }
  }

  invocations(filter: { functionName?: string; openid?: string; last?: number } = {}): Invocation[] {
    const matching = this.log.filter((entry) => (!filter.functionName || entry.functionName === filter.functionName) && (!filter.openid || entry.openid === filter.openid))
    return matching.slice(-(filter.last ?? 100))
  }
}
