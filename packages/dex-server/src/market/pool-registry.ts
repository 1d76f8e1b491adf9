import type { Kysely, Selectable } from 'kysely'
import type { Address } from 'viem'
import type { DexDatabase } from '../db/schema.js'

const TOKEN_COLUMNS = ['address', 'symbol', 'name', 'decimals'] as const
const POOL_COLUMNS = [
  'address',
  'token0',
  'token1',
  'reserve0',
  'reserve1',
  'total_supply',
  'updated_block',
] as const

export interface TokenInfo {
  address: Address
  symbol: string | null
  name: string | null
  /** null when the token did not answer a sane decimals(); math then treats it as 0. */
  decimals: number | null
}

export interface PoolState {
  address: Address
  token0: Address
  token1: Address
  reserve0: bigint
  reserve1: bigint
  totalSupply: bigint
  updatedBlock: number
}

/**
 * The indexed pools and tokens held in memory, kept current by the indexer after each committed
 * batch. Market data and the router read it instead of querying reserves per request (the router
 * builds its routing graph from `pools()` and rebuilds when `version` changes).
 * Addresses are lowercase.
 */
export class PoolRegistry {
  private readonly poolMap = new Map<string, PoolState>()
  private readonly tokenMap = new Map<string, TokenInfo>()
  /** Bumped on every change so readers can cache derived data (prices, adjacency). */
  version = 0

  pools(): PoolState[] {
    return [...this.poolMap.values()]
  }

  tokens(): TokenInfo[] {
    return [...this.tokenMap.values()]
  }

  pool(address: string): PoolState | undefined {
    return this.poolMap.get(address.toLowerCase())
  }

  token(address: string): TokenInfo | undefined {
    return this.tokenMap.get(address.toLowerCase())
  }

  setToken(token: TokenInfo): void {
    this.tokenMap.set(token.address, token)
    this.version++
  }

  setPool(pool: PoolState): void {
    this.poolMap.set(pool.address, pool)
    this.version++
  }

  /** Replaces the whole graph with what the database holds (start, and after a rollback). */
  async load(db: Kysely<DexDatabase>): Promise<void> {
    const [tokens, pools] = await Promise.all([
      db.selectFrom('tokens').select(TOKEN_COLUMNS).execute(),
      db.selectFrom('pools').select(POOL_COLUMNS).execute(),
    ])
    this.tokenMap.clear()
    this.poolMap.clear()
    this.apply(tokens, pools)
  }

  /**
   * Adds or replaces the pools the database updated after `block` (new pools with their tokens
   * too): how a process that does not index follows an index that only grew since it last read
   * it at `block`. After a rollback, `load` the whole graph instead (pools and tokens go away).
   */
  async loadUpdated(db: Kysely<DexDatabase>, block: number): Promise<void> {
    const pools = await db
      .selectFrom('pools')
      .select(POOL_COLUMNS)
      .where('updated_block', '>', block)
      .execute()
    const missing = [...new Set(pools.flatMap((p) => [p.token0, p.token1]))].filter(
      (a) => !this.tokenMap.has(a),
    )
    const tokens =
      missing.length === 0
        ? []
        : await db.selectFrom('tokens').select(TOKEN_COLUMNS).where('address', 'in', missing).execute()
    this.apply(tokens, pools)
  }

  private apply(
    tokens: Array<Pick<Selectable<DexDatabase['tokens']>, (typeof TOKEN_COLUMNS)[number]>>,
    pools: Array<Pick<Selectable<DexDatabase['pools']>, (typeof POOL_COLUMNS)[number]>>,
  ): void {
    for (const t of tokens) {
      // The indexer stores addresses lower-cased from hex logs and calls.
      this.tokenMap.set(t.address, {
        address: t.address as Address,
        symbol: t.symbol,
        name: t.name,
        decimals: t.decimals,
      })
    }
    for (const p of pools) {
      this.poolMap.set(p.address, {
        address: p.address as Address,
        token0: p.token0 as Address,
        token1: p.token1 as Address,
        reserve0: BigInt(p.reserve0),
        reserve1: BigInt(p.reserve1),
        totalSupply: BigInt(p.total_supply),
        updatedBlock: Number(p.updated_block),
      })
    }
    this.version++
  }
}
