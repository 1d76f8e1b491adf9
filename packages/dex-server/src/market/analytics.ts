import { type Kysely, sql } from 'kysely'
import type { DexDatabase } from '../db/schema.js'
import type { PoolState } from './pool-registry.js'
import { poolTvl, valueInQuote } from './pricing.js'

/** Buckets the pool history is offered in (candle intervals the indexer keeps). */
export const HISTORY_INTERVALS = ['1h', '1d'] as const
export type HistoryInterval = (typeof HISTORY_INTERVALS)[number]

const TRUNC: Record<HistoryInterval, string> = { '1h': 'hour', '1d': 'day' }

export interface PoolHistoryPoint {
  time: string
  /** Quote-token base units; null when the pool's tokens have no price. */
  tvl: string | null
  volume: string | null
  fees: string | null
  reserves: [string, string]
  trades: number
}

/** Valuing a pool's amounts in the quote token: exact when the pool holds it, else at current prices. */
export interface Valuation {
  quoteToken: string | null
  prices: Map<string, bigint>
}

/**
 * TVL and volume of one pool per hour or day, oldest first. Volume and fees come from the
 * indexer's candles of that interval; TVL from the last reserve checkpoint (Sync) in each bucket,
 * carried forward through buckets without one. A pool holding the quote token is valued exactly at
 * each bucket's reserves (twice its quote side); any other pool at today's token prices.
 */
export async function poolHistory(
  db: Kysely<DexDatabase>,
  pool: PoolState,
  interval: HistoryInterval,
  limit: number,
  valuation: Valuation,
): Promise<PoolHistoryPoint[]> {
  const address = pool.address.toLowerCase()
  const candles = await db
    .selectFrom('candles')
    .select(['bucket_start', 'volume0', 'volume1', 'fees0', 'fees1', 'trades'])
    .where('pool', '=', address)
    .where('interval', '=', interval)
    .orderBy('bucket_start', 'desc')
    .limit(limit)
    .execute()
  const unit = sql.lit(TRUNC[interval])
  const reserves = await sql<{ bucket: Date | string; reserve0: string; reserve1: string }>`
    SELECT DISTINCT ON (bucket) date_trunc(${unit}, b.timestamp, 'UTC') AS bucket, s.reserve0, s.reserve1
    FROM syncs s JOIN blocks b ON b.number = s.block_number
    WHERE s.pool = ${address}
    ORDER BY bucket DESC, s.block_number DESC, s.log_index DESC
    LIMIT ${limit + 1}`.execute(db)

  const byBucket = new Map<
    number,
    { volume0: bigint; volume1: bigint; fees0: bigint; fees1: bigint; trades: number }
  >()
  for (const c of candles) {
    byBucket.set(new Date(c.bucket_start).getTime(), {
      volume0: BigInt(c.volume0),
      volume1: BigInt(c.volume1),
      fees0: BigInt(c.fees0),
      fees1: BigInt(c.fees1),
      trades: Number(c.trades),
    })
  }
  const reserveAt = new Map<number, [bigint, bigint]>()
  for (const r of reserves.rows)
    reserveAt.set(new Date(r.bucket).getTime(), [BigInt(r.reserve0), BigInt(r.reserve1)])

  const times = [...new Set([...byBucket.keys(), ...reserveAt.keys()])].sort((a, b) => a - b).slice(-limit)
  // The reserves before the first bucket shown, so it starts from the right level.
  let current: [bigint, bigint] = [0n, 0n]
  for (const [time, value] of [...reserveAt].sort((a, b) => a[0] - b[0])) {
    if (times[0] !== undefined && time < times[0]) current = value
  }
  return times.map((time) => {
    current = reserveAt.get(time) ?? current
    const stats = byBucket.get(time)
    return {
      time: new Date(time).toISOString(),
      tvl: tvlAt(pool, current, valuation)?.toString() ?? null,
      volume: stats ? (tradedValue(pool, stats.volume0, stats.volume1, valuation)?.toString() ?? null) : '0',
      fees: stats ? (feeValue(pool, stats.fees0, stats.fees1, valuation)?.toString() ?? null) : '0',
      reserves: [current[0].toString(), current[1].toString()],
      trades: stats?.trades ?? 0,
    }
  })
}

function tvlAt(pool: PoolState, [r0, r1]: [bigint, bigint], v: Valuation): bigint | null {
  const quote = v.quoteToken?.toLowerCase()
  if (quote === pool.token0) return 2n * r0
  if (quote === pool.token1) return 2n * r1
  return poolTvl(v.prices, { ...pool, reserve0: r0, reserve1: r1 })
}

/** A swap counts on both sides (in and out): the value traded is one side, or the mean of both. */
function tradedValue(pool: PoolState, volume0: bigint, volume1: bigint, v: Valuation): bigint | null {
  const quote = v.quoteToken?.toLowerCase()
  if (quote === pool.token0) return volume0
  if (quote === pool.token1) return volume1
  const a = valueInQuote(v.prices, pool.token0, volume0)
  const b = valueInQuote(v.prices, pool.token1, volume1)
  return a !== null && b !== null ? (a + b) / 2n : (a ?? b)
}

function feeValue(pool: PoolState, fees0: bigint, fees1: bigint, v: Valuation): bigint | null {
  const a = valueInQuote(v.prices, pool.token0, fees0)
  const b = valueInQuote(v.prices, pool.token1, fees1)
  return a !== null && b !== null ? a + b : null
}

export interface PriceChange {
  /** token1 per token0, whole units, at the start of the window and now. */
  open: string
  close: string
  /** Percent, 4 decimals ("-1.2345"). */
  changePercent: string
}

/**
 * Each pool's price change over the 24 h before its newest indexed block: the close of the last
 * 1-minute candle at or before the window start (or the window's first open) against the newest
 * close. Computed in SQL numeric, so no float touches the prices.
 */
export async function priceChanges24h(
  db: Kysely<DexDatabase>,
  pools: readonly string[],
): Promise<Map<string, PriceChange>> {
  const out = new Map<string, PriceChange>()
  if (pools.length === 0) return out
  const lowered = pools.map((p) => p.toLowerCase())
  const rows = await sql<{ pool: string; open: string; close: string; change: string }>`
    WITH latest AS (SELECT max(timestamp) AS t FROM blocks),
    last AS (
      SELECT DISTINCT ON (pool) pool, close FROM candles
      WHERE interval = '1m' AND pool IN (${sql.join(lowered)})
      ORDER BY pool, bucket_start DESC),
    before AS (
      SELECT DISTINCT ON (pool) pool, close AS open FROM candles, latest
      WHERE interval = '1m' AND pool IN (${sql.join(lowered)}) AND bucket_start <= latest.t - interval '24 hours'
      ORDER BY pool, bucket_start DESC),
    first AS (
      SELECT DISTINCT ON (pool) pool, open FROM candles, latest
      WHERE interval = '1m' AND pool IN (${sql.join(lowered)}) AND bucket_start > latest.t - interval '24 hours'
      ORDER BY pool, bucket_start ASC)
    SELECT last.pool, coalesce(before.open, first.open) AS open, last.close,
      round((last.close / coalesce(before.open, first.open) - 1) * 100, 4)::text AS change
    FROM last LEFT JOIN before USING (pool) LEFT JOIN first USING (pool)
    WHERE coalesce(before.open, first.open) > 0`.execute(db)
  for (const r of rows.rows) {
    out.set(r.pool, { open: String(r.open), close: String(r.close), changePercent: r.change })
  }
  return out
}
