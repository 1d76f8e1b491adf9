import type { Address } from 'viem'

/** One pool as the indexer (or the chain) sees it: Uniswap v2 pair with its token order and reserves. */
export interface PoolState {
  address: Address
  token0: Address
  token1: Address
  reserve0: bigint
  reserve1: bigint
  /** LP token supply, when the source knows it (liquidity quotes need it; routing does not). */
  totalSupply?: bigint
}

/** A directed edge of the pool graph: selling `from` into `pool` for `to`. */
export interface Edge {
  pool: number
  from: number
  to: number
  reserveIn: bigint
  reserveOut: bigint
}

/**
 * Immutable snapshot of the pools, indexed for routing: tokens become small integers and every token
 * keeps its outgoing edges, so route search touches only neighbours instead of scanning every pool
 * per step (which is what makes `Trade.bestTradeExactIn` slow on large pool sets).
 * Addresses are compared lower-cased; the original spelling is kept for output.
 */
export class PoolGraph {
  readonly tokens: Address[] = []
  readonly pools: readonly PoolState[]
  readonly edges: Edge[][] = []
  private readonly tokenIndex = new Map<string, number>()
  private readonly poolIndex = new Map<string, number>()

  constructor(pools: readonly PoolState[]) {
    this.pools = pools
    pools.forEach((pool, i) => {
      this.poolIndex.set(pool.address.toLowerCase(), i)
      const t0 = this.intern(pool.token0)
      const t1 = this.intern(pool.token1)
      // An empty pool quotes nothing (the contract reverts INSUFFICIENT_LIQUIDITY): keep it out of routing.
      if (pool.reserve0 <= 0n || pool.reserve1 <= 0n || t0 === t1) return
      this.edges[t0]!.push({ pool: i, from: t0, to: t1, reserveIn: pool.reserve0, reserveOut: pool.reserve1 })
      this.edges[t1]!.push({ pool: i, from: t1, to: t0, reserveIn: pool.reserve1, reserveOut: pool.reserve0 })
    })
  }

  private intern(token: Address): number {
    const key = token.toLowerCase()
    let index = this.tokenIndex.get(key)
    if (index === undefined) {
      index = this.tokens.length
      this.tokens.push(token)
      this.edges.push([])
      this.tokenIndex.set(key, index)
    }
    return index
  }

  /** Index of a token, or undefined when no pool holds it. */
  tokenId(address: string): number | undefined {
    return this.tokenIndex.get(address.toLowerCase())
  }

  poolId(address: string): number | undefined {
    return this.poolIndex.get(address.toLowerCase())
  }

  get size(): { tokens: number; pools: number } {
    return { tokens: this.tokens.length, pools: this.pools.length }
  }
}
