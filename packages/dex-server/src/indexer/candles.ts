/** Candle intervals and their length in seconds; buckets align to the Unix epoch (UTC), weeks to Mondays. */
export const INTERVALS = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '4h': 14_400,
  '1d': 86_400,
  '1w': 604_800,
} as const

export type Interval = keyof typeof INTERVALS

export const INTERVAL_NAMES = Object.keys(INTERVALS) as Interval[]

/**
 * One move of a pool's price, in chain order: a swap (with its volume) or the pool's last Sync of
 * a block (a mint, a burn, a donation followed by `sync()`: the price moves without a trade).
 */
export interface CandlePoint {
  pool: string
  /** Block time, Unix seconds. */
  time: number
  /** token1 per token0 in whole units after the move, 18 decimals. */
  priceE18: bigint
  /** The pool's price before the move (the previous point's), or null for the pool's first. */
  beforeE18: bigint | null
  amount0In: bigint
  amount1In: bigint
  amount0Out: bigint
  amount1Out: bigint
  /** 1 for a swap, 0 for a price move without a trade. */
  trades: number
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

/** Unix time 0 was a Thursday: week buckets start 4 days later, on Mondays 00:00 UTC. */
export const WEEK_OFFSET = 4 * 86_400

export function bucketOf(time: number, interval: Interval): number {
  const offset = interval === '1w' ? WEEK_OFFSET : 0
  return Math.floor((time - offset) / INTERVALS[interval]) * INTERVALS[interval] + offset
}

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
 * Folds price points (given in chain order) into one delta per pool, interval and bucket. A bucket
 * opens at the price before its first point (the previous close), so consecutive candles join and
 * high/low include the open. The store merges each delta into the stored candle: open kept,
 * high/low widened, close replaced, sums added. Points fold into 1-minute deltas first; the
 * longer intervals fold those, in the same order.
 */
export function aggregateCandles(points: readonly CandlePoint[]): CandleDelta[] {
  const minutes = new Map<string, CandleDelta>()
  for (const point of points) {
    const bucket = bucketOf(point.time, '1m')
    const key = `${point.pool}|${bucket}`
    const price = point.priceE18
    const open = point.beforeE18 ?? price
    const delta: CandleDelta = {
      pool: point.pool,
      interval: '1m',
      bucket,
      open,
      high: open,
      low: open,
      close: price,
      volume0: point.amount0In + point.amount0Out,
      volume1: point.amount1In + point.amount1Out,
      fees0: lpFee(point.amount0In),
      fees1: lpFee(point.amount1In),
      trades: point.trades,
    }
    if (price > delta.high) delta.high = price
    if (price < delta.low) delta.low = price
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

/**
 * Price points of a stretch of chain: swaps and each pool's last Sync per block, merged in chain
 * order, each with the price before it (`before` holds each pool's last price going in, and is
 * updated). The indexer and the rollback's candle rebuild both build points here, so a rebuilt
 * candle equals the one indexed.
 */
export function pricePoints(
  swaps: ReadonlyArray<Omit<CandlePoint, 'beforeE18' | 'trades'> & { blockNumber: number; logIndex: number }>,
  syncs: ReadonlyArray<{
    pool: string
    time: number
    priceE18: bigint
    blockNumber: number
    logIndex: number
  }>,
  before: Map<string, bigint>,
): CandlePoint[] {
  const points: CandlePoint[] = []
  let i = 0
  let j = 0
  const push = (
    p: { pool: string; time: number; priceE18: bigint },
    amounts: { amount0In: bigint; amount1In: bigint; amount0Out: bigint; amount1Out: bigint },
    trades: number,
  ) => {
    points.push({
      ...amounts,
      pool: p.pool,
      time: p.time,
      priceE18: p.priceE18,
      beforeE18: before.get(p.pool) ?? null,
      trades,
    })
    before.set(p.pool, p.priceE18)
  }
  while (i < swaps.length || j < syncs.length) {
    const swap = swaps[i]
    const sync = syncs[j]
    const swapFirst =
      sync === undefined ||
      (swap !== undefined && (swap.blockNumber - sync.blockNumber || swap.logIndex - sync.logIndex) < 0)
    if (swapFirst && swap) {
      push(swap, swap, 1)
      i++
    } else if (sync) {
      push(sync, NO_VOLUME, 0)
      j++
    }
  }
  return points
}

const NO_VOLUME = { amount0In: 0n, amount1In: 0n, amount0Out: 0n, amount1Out: 0n }
