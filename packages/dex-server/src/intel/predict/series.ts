import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'

/** Forecast horizons and their length in steps of the 1-minute grid every model works on. */
export const HORIZONS = { '1m': 1, '5m': 5, '1h': 60 } as const
export type Horizon = keyof typeof HORIZONS
export const HORIZON_NAMES = Object.keys(HORIZONS) as Horizon[]

export const STEP_SECONDS = 60

/**
 * A pool's indexed history on a regular 1-minute grid (minutes without swaps carry the last price
 * forward and zero flow). Index t holds what was known at the end of minute `start + t`.
 */
export interface PoolSeries {
  pool: string
  /** Unix seconds of the first minute on the grid. */
  start: number
  /** ln(token1 per token0, whole units) after the minute's last swap. */
  logPrice: Float64Array
  /** token0 bought from the pool (amount0Out) and sold to it (amount0In) during the minute, base units. */
  buy0: Float64Array
  sell0: Float64Array
  trades: Float64Array
  /** token0 reserve after the minute's last swap, base units. */
  reserve0: Float64Array
}

export const seriesLength = (series: PoolSeries) => series.logPrice.length
export const timeAt = (series: PoolSeries, t: number) => series.start + t * STEP_SECONDS

interface MinuteRow {
  minute: string | number
  close: string | number
  reserve0: string | number
  buy0: string | number
  sell0: string | number
  trades: string | number
}

/**
 * Reads up to `minutes` of a pool's swaps ending at `until` (default: its newest swap), folded per
 * minute in SQL. Bounded by the lookback, so a long-lived pool costs the same as a young one.
 */
export async function loadPoolSeries(
  db: IntelDb,
  pool: string,
  options: { minutes: number; until?: Date },
): Promise<PoolSeries | null> {
  const address = pool.toLowerCase()
  const until =
    options.until ??
    (
      await db
        .selectFrom('swaps')
        .select('block_time')
        .where('pool', '=', address)
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.block_time
  if (until === undefined) return null
  const end = new Date(until as string | Date)
  const since = new Date(end.getTime() - options.minutes * STEP_SECONDS * 1000)
  const { rows } = await sql<MinuteRow>`
    select floor(extract(epoch from block_time) / 60)::bigint as minute,
      (array_agg(price order by block_number desc, log_index desc))[1]::float8 as close,
      (array_agg(reserve0 order by block_number desc, log_index desc))[1]::float8 as reserve0,
      sum(amount0_out)::float8 as buy0,
      sum(amount0_in)::float8 as sell0,
      count(*) as trades
    from swaps
    where pool = ${address} and block_time > ${since.toISOString()}::timestamptz
      and block_time <= ${end.toISOString()}::timestamptz
    group by 1 order by 1`.execute(db)
  return rows.length === 0 ? null : toGrid(address, rows)
}

/** Lays minute rows (ascending) on a gap-free grid, carrying price and reserve forward. */
export function toGrid(pool: string, rows: readonly MinuteRow[]): PoolSeries {
  const first = Number((rows[0] as MinuteRow).minute)
  const last = Number((rows.at(-1) as MinuteRow).minute)
  const n = last - first + 1
  const series: PoolSeries = {
    pool,
    start: first * STEP_SECONDS,
    logPrice: new Float64Array(n),
    buy0: new Float64Array(n),
    sell0: new Float64Array(n),
    trades: new Float64Array(n),
    reserve0: new Float64Array(n),
  }
  let next = 0
  for (let t = 0; t < n; t++) {
    const row = rows[next]
    if (row !== undefined && Number(row.minute) === first + t) {
      series.logPrice[t] = Math.log(Number(row.close))
      series.reserve0[t] = Number(row.reserve0)
      series.buy0[t] = Number(row.buy0)
      series.sell0[t] = Number(row.sell0)
      series.trades[t] = Number(row.trades)
      next++
    } else {
      series.logPrice[t] = series.logPrice[t - 1] as number
      series.reserve0[t] = series.reserve0[t - 1] as number
    }
  }
  return series
}
