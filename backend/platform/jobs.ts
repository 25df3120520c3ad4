/**
 * Bounded concurrency, paging a member's own rows, and the invocation's deadline (batch work over
 * many documents is the job runner's: job-runner.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { InvocationContext } from './cloud'

export const PAGE_SIZE = 1000
export const CONCURRENCY = 10

const invocationDeadline = new AsyncLocalStorage<number>()
/** Time kept back from the function's time limit to finish the page in hand and answer. */
const DEADLINE_MARGIN_MS = 8_000

/**
 * Wraps a function's main so the jobs it runs stop starting new pages before the platform's
 * time limit (`context.time_limit_in_ms`, 60 s for admin and jobs in cloudbaserc.json).
 */
export function withDeadline<E>(main: (event: E, context?: InvocationContext) => Promise<unknown>) {
  return (event: E, context?: InvocationContext) => {
    const limit = Number(context?.time_limit_in_ms) > 0 ? Number(context?.time_limit_in_ms) : 60_000
    return invocationDeadline.run(Date.now() + Math.max(limit / 2, limit - DEADLINE_MARGIN_MS), () => main(event, context))
  }
}

/** The deadline of the current invocation (see withDeadline), or 40 s from now. */
export function currentDeadline(): number {
  return invocationDeadline.getStore() ?? Date.now() + 40_000
}

/** Runs `work` over the items, at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** Every document a query finds, 1000 at a time by skip (for one member's own rows, not for batch work). */
export async function allPages<T>(query: () => { skip(n: number): { limit(n: number): { get(): Promise<{ data: unknown[] }> } } }): Promise<T[]> {
  const rows: T[] = []
  for (let skip = 0; ; skip += PAGE_SIZE) {
    const { data } = await query().skip(skip).limit(PAGE_SIZE).get()
    rows.push(...(data as T[]))
    if (data.length < PAGE_SIZE) return rows
  }
}
