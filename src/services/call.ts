import type { ActionInput, ActionName, ActionResult, FunctionName } from '@domain/contract'
import { noteServerTime } from '../lib/server-clock'
import { ServiceError } from './errors'
import { send } from './transport'

/**
 * The one typed client. Resolves with the action's result, or throws a ServiceError:
 * the server's `{ ok: false, error }` keeps its code; a failed transport is `NETWORK`.
 * Pages do not call this directly; they use the small service modules next to it.
 */
export async function callFunction<F extends FunctionName, A extends ActionName<F>>(
  name: F,
  action: A,
  input: ActionInput<F, A>,
): Promise<ActionResult<F, A>> {
  const answer = await send({ name, action, input })
  noteServerTime(answer.serverTime)
  if (answer.ok) return answer.data as ActionResult<F, A>
  const { code, message, fields } = answer.error
  throw new ServiceError(code, message, fields)
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Retry only when the transport failed (NETWORK): the server may or may not have applied
 * the call, so mutating calls must pass the SAME requestId on every attempt.
 */
export async function retryOnNetwork<T>(attempt: () => Promise<T>, delaysMs: readonly number[] = [600, 1500]): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt()
    } catch (err) {
      if (!(err instanceof ServiceError) || err.code !== 'NETWORK' || i >= delaysMs.length) throw err
      await sleep(delaysMs[i])
    }
  }
}

/** 8–64 chars of [A-Za-z0-9_-], unique enough per device: time + randomness. */
export function newRequestId(prefix: string): string {
  const random = () => Math.floor(Math.random() * 0x100000000).toString(36)
  return `${prefix}_${Date.now().toString(36)}_${random()}${random()}`.slice(0, 64)
}
