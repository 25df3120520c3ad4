/**
 * Calls cloud functions through the real @cloudbase/node-sdk, as a given WeChat user
 * (the emulator injects the identity named by the `x-wx-openid` header) or as the console.
 */
import tcb from '@cloudbase/node-sdk'
import type { ActionInput, ActionName, ActionResult, CallAnswer, FunctionName } from '../../domain/contract'
import type { Invocation } from '../../emulator/functions'

export interface FunctionCaller {
  call<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input?: ActionInput<F, A>): Promise<CallAnswer<ActionResult<F, A>>>
  /** like call, but fails the test unless the answer is ok */
  ok<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input?: ActionInput<F, A>): Promise<ActionResult<F, A>>
  raw(name: string, data: unknown): Promise<unknown>
}

/** A caller as this WeChat user (null: the console); `timeoutMs` for calls that wait long, such as a big night's timer. */
export function callerFor(adminUrl: string, openid: string | null, timeoutMs = 30_000): FunctionCaller {
  process.env.TENCENTCLOUD = 'true'
  const app = tcb.init({
    env: 'local',
    serviceUrl: adminUrl,
    secretId: 'local-secret-id',
    secretKey: 'local-secret-key',
    timeout: timeoutMs,
    headers: openid ? { 'x-wx-openid': openid } : {},
  })
  const raw = async (name: string, data: unknown) => (await app.callFunction({ name, data: data as Record<string, unknown> })).result
  /** Every answer carries the server's clock; checked here once, then left out so tests compare the answer itself. */
  const call = async (name: string, action: string, input?: unknown) => {
    const answer = (await raw(name, { action, input: input ?? {} })) as CallAnswer<never> & { serverTime?: unknown }
    if (answer && typeof answer === 'object' && 'ok' in answer) {
      if (typeof answer.serverTime !== 'number') throw new Error(`${name}.${action} answered without serverTime`)
      const { serverTime: _serverTime, ...rest } = answer
      return rest as CallAnswer<never>
    }
    return answer
  }
  return {
    call: call as FunctionCaller['call'],
    ok: (async (name: string, action: string, input?: unknown) => {
      const answer = await call(name, action, input)
      if (!answer.ok) throw new Error(`${name}.${action} failed: ${answer.error.code} ${answer.error.message}`)
      return answer.data
    }) as FunctionCaller['ok'],
    raw,
  }
}

export async function invocations(baseUrl: string, filter: { function?: string; openid?: string; last?: number } = {}): Promise<Invocation[]> {
  const query = new URLSearchParams(Object.entries(filter).map(([key, value]) => [key, String(value)]))
  const response = await fetch(`${baseUrl}/emulator/invocations?${query}`)
  return ((await response.json()) as { invocations: Invocation[] }).invocations
}

export function adminApp(adminUrl: string) {
  process.env.TENCENTCLOUD = 'true'
  return tcb.init({ env: 'local', serviceUrl: adminUrl, secretId: 'local-secret-id', secretKey: 'local-secret-key', timeout: 30_000 })
}

let sequence = 0
/** A fresh WeChat user for each test, so tests do not share members. */
export function newOpenid(label = 'user'): string {
  return `o_test_${label}_${process.pid}_${++sequence}_${Math.random().toString(36).slice(2, 8)}`
}

export function requestId(): string {
  return `req_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`
}

type FaultTarget = { functionName: string; action?: string; eventKey?: string; eventIncludes?: string; afterCalls: number; times?: number }

async function planFault(baseUrl: string, plan: FaultTarget & { effect: 'crash' | 'pause' }) {
  const response = await fetch(`${baseUrl}/emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) })
  if (!response.ok) throw new Error(`planning a ${plan.effect} failed: ${response.status} ${await response.text()}`)
}

/** Makes the next invocation(s) of a function die after `afterCalls` database calls (fault injection). */
export async function planCrash(baseUrl: string, plan: FaultTarget) {
  await planFault(baseUrl, { ...plan, effect: 'crash' })
}

/** Makes the next invocation(s) of a function wait, after `afterCalls` database calls, until `resumePaused`. */
export async function planPause(baseUrl: string, plan: FaultTarget) {
  await planFault(baseUrl, { ...plan, effect: 'pause' })
}

/** How many calls of paused invocations are waiting. */
export async function heldCalls(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/emulator/faults`)
  return ((await response.json()) as { heldCalls: number }).heldCalls
}

export async function resumePaused(baseUrl: string) {
  const response = await fetch(`${baseUrl}/emulator/faults/resume`, { method: 'POST' })
  if (!response.ok) throw new Error(`resuming failed: ${response.status}`)
}

/** Moves the emulator's business clock (`{ set }`, `{ advanceMs }` or `{ reset: true }`); answers the new now (ms). */
export async function moveClock(baseUrl: string, change: { set?: number | string; advanceMs?: number; reset?: true }): Promise<number> {
  const response = await fetch(`${baseUrl}/emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) })
  if (!response.ok) throw new Error(`moving the clock failed: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { nowMs: number }).nowMs
}

/** 门店自提 at the demo's first store: how flash-sale and group-buy orders in tests are fulfilled unless a test says otherwise. */
export const AT_STORE = { type: 'pickup', storeId: 's-jingan' } as const
