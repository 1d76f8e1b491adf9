import { type Kysely, sql } from 'kysely'
import type { Address } from 'viem'
import type { DexDatabase } from '../db/schema.js'
import type { PoolRegistry, PoolState, TokenInfo } from './pool-registry.js'
import { formatE18, PRICE_SCALE, poolTvl, priceTokens, spotPriceE18, valueInQuote } from './pricing.js'
import { LP_SHARE_WITH_PROTOCOL_FEE } from './protocol-fee.js'

export interface TokenRef {
  address: Address
  symbol: string | null
  decimals: number | null
}

export interface PoolView {
  address: Address
  tokens: [TokenRef, TokenRef]
  reserves: [string, string]
  totalSupply: string
  /** token1 per token0, whole units. */
  price: string
  tvl: string | null
  volume24h: string | null
  volume24hTokens: [string, string]
  /** All swap fees of the last 24 h (the LPs' and, with the protocol fee on, the protocol's). */
  fees24h: string | null
  /** Annualised 24 h LP fee income over TVL, as a fraction ("0.052341"); the protocol's share excluded. */
  feeApr: string | null
  swaps24h: number
  updatedBlock: number
}

export interface TokenView extends TokenRef {
  name: string | null
  /** Quote-token base units for one whole token, or null when no pool prices it. */
  price: string | null
  pools: number
}

interface DayStats {
  volume0: bigint
  volume1: bigint
  fees0: bigint
  fees1: bigint
  trades: number
}

const DAY_MS = 86_400_000

/**
 * Market views over the in-memory pool registry (reserves, prices, TVL) and the candles table
 * (24 h sums, read from 1-minute candles, so the window is exact to the minute).
 */
export class MarketData {
  private priceCache: { version: number; prices: Map<string, bigint> } | null = null

  constructor(
    private readonly db: Kysely<DexDatabase>,
    private readonly registry: PoolRegistry,
    readonly quoteToken: Address | null,
    /** Whether the factory's protocol fee (feeTo) is on; off when not told. */
    private readonly protocolFeeOn: () => Promise<boolean> = async () => false,
  ) {}

  /** Token prices in quote base units per token base unit × PRICE_SCALE; cached per registry version. */
  prices(): Map<string, bigint> {
    if (this.quoteToken === null) return new Map()
    if (this.priceCache?.version !== this.registry.version) {
      this.priceCache = {
        version: this.registry.version,
        prices: priceTokens(this.registry, this.quoteToken),
      }
    }
    return this.priceCache.prices
  }

  tokenRef(address: Address): TokenRef {
    const token: TokenInfo | undefined = this.registry.token(address)
    return { address, symbol: token?.symbol ?? null, decimals: token?.decimals ?? null }
  }

  async pools(filter: { token?: string | undefined } = {}): Promise<PoolView[]> {
    const token = filter.token?.toLowerCase()
    const pools = this.registry
      .pools()
      .filter((p) => token === undefined || p.token0 === token || p.token1 === token)
    const [stats, protocolFee] = await Promise.all([
      this.dayStats(pools.map((p) => p.address)),
      this.protocolFeeOn(),
    ])
    const prices = this.prices()
    return pools.map((pool) => this.poolView(pool, stats.get(pool.address), prices, protocolFee)).sort(byTvl)
  }

  async pool(address: string): Promise<PoolView | null> {
    const pool = this.registry.pool(address)
    if (pool === undefined) return null
    const [stats, protocolFee] = await Promise.all([this.dayStats([pool.address]), this.protocolFeeOn()])
    return this.poolView(pool, stats.get(pool.address), this.prices(), protocolFee)
  }

  tokens(): TokenView[] {
    const prices = this.prices()
    const poolCount = new Map<string, number>()
    for (const p of this.registry.pools()) {
      poolCount.set(p.token0, (poolCount.get(p.token0) ?? 0) + 1)
      poolCount.set(p.token1, (poolCount.get(p.token1) ?? 0) + 1)
    }
    return this.registry.tokens().map((t) => {
      const price = prices.get(t.address)
      return {
        address: t.address,
        symbol: t.symbol,
        name: t.name,
        decimals: t.decimals,
        price:
          price === undefined ? null : ((price * 10n ** BigInt(t.decimals ?? 0)) / PRICE_SCALE).toString(),
        pools: poolCount.get(t.address) ?? 0,
      }
    })
  }

  private poolView(
    pool: PoolState,
    stats: DayStats | undefined,
    prices: Map<string, bigint>,
    protocolFee: boolean,
  ): PoolView {
    const t0 = this.tokenRef(pool.token0)
    const t1 = this.tokenRef(pool.token1)
    const tvl = poolTvl(prices, pool)
    const s = stats ?? { volume0: 0n, volume1: 0n, fees0: 0n, fees1: 0n, trades: 0 }
    const v0 = valueInQuote(prices, pool.token0, s.volume0)
    const v1 = valueInQuote(prices, pool.token1, s.volume1)
    // Each swap counts on both sides (in and out): their mean is the traded value.
    const volume = v0 !== null && v1 !== null ? (v0 + v1) / 2n : (v0 ?? v1)
    const f0 = valueInQuote(prices, pool.token0, s.fees0)
    const f1 = valueInQuote(prices, pool.token1, s.fees1)
    const fees = f0 !== null && f1 !== null ? f0 + f1 : null
    const share = protocolFee ? LP_SHARE_WITH_PROTOCOL_FEE : { numerator: 1n, denominator: 1n }
    const lpFees = fees === null ? null : (fees * share.numerator) / share.denominator
    const apr = lpFees !== null && tvl !== null && tvl > 0n ? (lpFees * 365n * 10n ** 18n) / tvl : null
    return {
      address: pool.address,
      tokens: [t0, t1],
      reserves: [pool.reserve0.toString(), pool.reserve1.toString()],
      totalSupply: pool.totalSupply.toString(),
      price: formatE18(spotPriceE18(pool.reserve0, pool.reserve1, t0.decimals, t1.decimals)),
      tvl: tvl?.toString() ?? null,
      volume24h: volume?.toString() ?? null,
      volume24hTokens: [s.volume0.toString(), s.volume1.toString()],
      fees24h: fees?.toString() ?? null,
      feeApr: apr === null ? null : formatE18(apr),
      swaps24h: s.trades,
      updatedBlock: pool.updatedBlock,
    }
  }

  /** Sums of the last 24 h of 1-minute candles, ending at the newest indexed block's time. */
  private async dayStats(pools: string[]): Promise<Map<string, DayStats>> {
    const stats = new Map<string, DayStats>()
    if (pools.length === 0) return stats
    const latest = await this.db
      .selectFrom('blocks')
      .select('timestamp')
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (latest === undefined) return stats
    const since = new Date(new Date(latest.timestamp).getTime() - DAY_MS).toISOString()
    const rows = await this.db
      .selectFrom('candles')
      .select([
        'pool',
        sql<string>`sum(volume0)`.as('volume0'),
        sql<string>`sum(volume1)`.as('volume1'),
        sql<string>`sum(fees0)`.as('fees0'),
        sql<string>`sum(fees1)`.as('fees1'),
        sql<string>`sum(trades)`.as('trades'),
      ])
      .where('interval', '=', '1m')
      .where('bucket_start', '>', sql<Date>`${since}::timestamptz`)
      .where('pool', 'in', pools)
      .groupBy('pool')
      .execute()
    for (const r of rows) {
      stats.set(r.pool, {
        volume0: BigInt(r.volume0),
        volume1: BigInt(r.volume1),
        fees0: BigInt(r.fees0),
        fees1: BigInt(r.fees1),
        trades: Number(r.trades),
      })
    }
    return stats
  }
}

const byTvl = (a: PoolView, b: PoolView) => {
  const x = BigInt(a.tvl ?? -1)
  const y = BigInt(b.tvl ?? -1)
  return x === y ? a.address.localeCompare(b.address) : x > y ? -1 : 1
}
