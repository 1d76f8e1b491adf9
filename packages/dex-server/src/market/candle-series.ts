import { HttpProblem } from '@platform/service-kit/http'
import type { Kysely } from 'kysely'
import type { DexDatabase } from '../db/schema.js'
import type { Interval } from '../indexer/candles.js'
import { type Candle, type CandleView, inUsd, invertCandle, listCandles, renderCandle } from './history.js'
import type { PoolRegistry, PoolState } from './pool-registry.js'

export interface CandleSeriesQuery {
  pool: PoolState
  interval: Interval
  limit: number
  from?: Date | undefined
  to?: Date | undefined
  /** Which token is priced: token0 (in token1, the stored direction) or token1 (in token0). */
  base: 'token0' | 'token1'
  /** Priced in the pool's other token, or in USD through the market's quote token (a USD stablecoin). */
  quote: 'pair' | 'usd'
}

export interface CandleSeries {
  base: string
  /** The token prices are in, or 'usd'. */
  quote: string
  candles: CandleView[]
}

/**
 * A pool's candles in the direction and unit asked for. The USD view multiplies each bucket's
 * prices by the counter token's USD price at that bucket's close, read from its pool with the
 * quote token (so a USD high or low is the pair's, valued at the bucket's closing rate).
 */
export async function candleSeries(
  db: Kysely<DexDatabase>,
  registry: PoolRegistry,
  usdToken: string | null,
  q: CandleSeriesQuery,
): Promise<CandleSeries> {
  const { pool } = q
  const window = { interval: q.interval, limit: q.limit, from: q.from, to: q.to }
  let candles = await listCandles(db, { pool: pool.address, ...window })
  const [base, counter] = q.base === 'token0' ? [pool.token0, pool.token1] : [pool.token1, pool.token0]
  if (q.base === 'token1') candles = candles.map(invertCandle)
  if (q.quote === 'usd') candles = inUsd(candles, await usdRates(db, registry, usdToken, counter, window))
  const decimals: [number | null, number | null] = [
    registry.token(pool.token0)?.decimals ?? null,
    registry.token(pool.token1)?.decimals ?? null,
  ]
  return {
    base,
    quote: q.quote === 'usd' ? 'usd' : counter,
    candles: candles.map((c) => renderCandle(c, decimals)),
  }
}

const ONE = 10n ** 18n

/** USD per whole `token` at each bucket's close: 1 for the USD token, else from its pool with it. */
async function usdRates(
  db: Kysely<DexDatabase>,
  registry: PoolRegistry,
  usdToken: string | null,
  token: string,
  window: Omit<Parameters<typeof listCandles>[1], 'pool'>,
): Promise<(bucket: number) => bigint | undefined> {
  const usd = usdToken?.toLowerCase()
  const noPrice = () =>
    new HttpProblem(422, 'no_usd_price', `no pool prices ${token} in USD`, {
      errors: [
        { path: '/quote', message: 'the counter token has no pool with the USD token', in: 'querystring' },
      ],
    })
  if (usd === undefined) throw noPrice()
  if (token === usd) return () => ONE
  const bridge = registry
    .pools()
    .find((p) => (p.token0 === token && p.token1 === usd) || (p.token1 === token && p.token0 === usd))
  if (bridge === undefined) throw noPrice()
  const series = await listCandles(db, { pool: bridge.address, ...window })
  const oriented = bridge.token0 === token ? series : series.map(invertCandle)
  const closes = new Map(oriented.map((c: Candle) => [c.bucket, c.close]))
  return (bucket) => closes.get(bucket)
}
