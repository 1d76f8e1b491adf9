/** Candle intervals and their length in seconds; buckets align to the Unix epoch (UTC). */
export const INTERVALS = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '4h': 14_400,
  '1d': 86_400,
} as const

export type Interval = keyof typeof INTERVALS

export const INTERVAL_NAMES = Object.keys(INTERVALS) as Interval[]

export interface CandleSwap {
  pool: string
  /** Block time, Unix seconds. */
  time: number
  priceE18: bigint
  amount0In: bigint
  amount1In: bigint
  amount0Out: bigint
  amount1Out: bigint
}

export interface CandleDelta {
  pool: string
  interval: Interval
  /** Bucket start, Unix seconds. */
  bucket: number
  open: bigint
  high: bigint
  low: bigint
  close: bigint
  volume0: bigint
  volume1: bigint
  fees0: bigint
  fees1: bigint
  trades: number
}

/** The v2 LP fee: 0.30% of the input amount, rounded down per swap as the pair does. */
export const lpFee = (amountIn: bigint): bigint => (amountIn * 3n) / 1000n

export const bucketOf = (time: number, interval: Interval): number =>
  Math.floor(time / INTERVALS[interval]) * INTERVALS[interval]

function fold(into: CandleDelta, next: CandleDelta): void {
  if (next.high > into.high) into.high = next.high
  if (next.low < into.low) into.low = next.low
  into.close = next.close
  into.volume0 += next.volume0
  into.volume1 += next.volume1
  into.fees0 += next.fees0
  into.fees1 += next.fees1
  into.trades += next.trades
}

/**
 * Folds swaps (given in chain order) into one delta per pool, interval and bucket. The store
 * merges each delta into the stored candle: open kept, high/low widened, close replaced, sums added.
 * Swaps fold into 1-minute deltas first; the longer intervals fold those, in the same order.
 */
export function aggregateCandles(swaps: readonly CandleSwap[]): CandleDelta[] {
  const minutes = new Map<string, CandleDelta>()
  for (const swap of swaps) {
    const bucket = bucketOf(swap.time, '1m')
    const key = `${swap.pool}|${bucket}`
    const delta: CandleDelta = {
      pool: swap.pool,
      interval: '1m',
      bucket,
      open: swap.priceE18,
      high: swap.priceE18,
      low: swap.priceE18,
      close: swap.priceE18,
      volume0: swap.amount0In + swap.amount0Out,
      volume1: swap.amount1In + swap.amount1Out,
      fees0: lpFee(swap.amount0In),
      fees1: lpFee(swap.amount1In),
      trades: 1,
    }
    const existing = minutes.get(key)
    if (existing) fold(existing, delta)
    else minutes.set(key, delta)
  }
  const deltas = [...minutes.values()]
  for (const interval of INTERVAL_NAMES) {
    if (interval === '1m') continue
    const longer = new Map<string, CandleDelta>()
    for (const minute of minutes.values()) {
      const bucket = bucketOf(minute.bucket, interval)
      const key = `${minute.pool}|${bucket}`
      const existing = longer.get(key)
      if (existing) fold(existing, minute)
      else longer.set(key, { ...minute, interval, bucket })
    }
    deltas.push(...longer.values())
  }
  return deltas
}
