import type { ActionInput, ActionName, ActionResult, FunctionName } from '@domain/contract'
import { noteServerTime } from '../lib/server-clock'
import { answerError, ServiceError } from './errors'
import { send } from './transport'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Pauses before sending an ABORTED call again. ABORTED is contention: the function applied
 * nothing, so the same input (the same requestId) is simply sent again, a few times, with a
 * short back-off; only then does the page hear BUSY.
 */
export const ABORTED_RETRY_DELAYS_MS: readonly number[] = [150, 400, 1000]

/** ±25 %, so callers that collided do not collide again in step. */
const jittered = (ms: number) => Math.round(ms * (0.75 + Math.random() * 0.5))

/**
 * The one typed client. Resolves with the action's result, or throws a ServiceError:
 * the server's `{ ok: false, error }` keeps its code and reason; a failed transport is `NETWORK`.
 * An ABORTED answer is retried here with the same input (see ABORTED_RETRY_DELAYS_MS).
 * Pages do not call this directly; they use the small service modules next to it.
 */
export async function callFunction<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input: ActionInput<F, A>): Promise<ActionResult<F, A>> {
  for (let attempt = 0; ; attempt++) {
    const answer = await send({ name, action, input })
    noteServerTime(answer.serverTime)
    if (answer.ok) return answer.data as ActionResult<F, A>
    const failure = answerError(answer.error)
    if (failure.code !== 'ABORTED' || attempt >= ABORTED_RETRY_DELAYS_MS.length) throw failure
    await sleep(jittered(ABORTED_RETRY_DELAYS_MS[attempt]))
  }
}

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
