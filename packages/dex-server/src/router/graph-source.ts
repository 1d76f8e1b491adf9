import { PoolGraph, type PoolState } from './graph.js'

/**
 * Where pools come from. The indexer's PoolRegistry fits as is (`version` bumps on every change);
 * so does a fixed list. The graph is rebuilt only when the version moves, not per quote.
 */
export interface PoolSource {
  readonly version: number
  pools(): readonly PoolState[]
}

export class GraphCache {
  private cached: { version: number; graph: PoolGraph } | undefined

  constructor(private readonly source: PoolSource) {}

  graph(): PoolGraph {
    const version = this.source.version
    if (this.cached?.version !== version) this.cached = { version, graph: new PoolGraph(this.source.pools()) }
    return this.cached.graph
  }

  get version(): number {
    return this.source.version
  }
}

/** A fixed pool list (tests, benchmarks, or a snapshot read from the chain). */
export function staticPools(pools: readonly PoolState[], version = 1): PoolSource {
  return { version, pools: () => pools }
}
