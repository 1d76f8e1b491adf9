import { HttpProblem } from '@platform/service-kit/http'

/** What the quote path needs to know about the index behind the pool graph. */
export interface IndexProgress {
  status(): { block: number | null; head: number; lag: number }
}

/** Quotes are refused while the index is further than this behind the head (default). */
export const DEFAULT_MAX_LAG_BLOCKS = 3

/**
 * The block the pool graph is current to, or a 503 `indexer_behind` when the index lags the head
 * by more than `maxLag` blocks: a quote priced on stale reserves would not execute as quoted.
 */
export function freshBlock(index: IndexProgress, maxLag: number): number {
  const { block, head, lag } = index.status()
  if (block === null || lag > maxLag) {
    throw new HttpProblem(
      503,
      'indexer_behind',
      `the index is ${lag} blocks behind the chain head (at ${block ?? 'none'}, head ${head}); quotes resume once it catches up`,
      { headers: { 'retry-after': '2' } },
    )
  }
  return block
}

/** A readiness check: down, with the lag in its message, while quotes would be refused. */
export function indexerLagCheck(index: IndexProgress, maxLag: number) {
  return {
    name: 'indexer',
    check: async () => freshBlock(index, maxLag),
  }
}
