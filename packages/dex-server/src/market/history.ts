import { type Kysely, sql } from 'kysely'
import { formatUnits } from 'viem'
import type { DexDatabase } from '../db/schema.js'
import { bucketOf, INTERVALS, type Interval } from '../indexer/candles.js'
import { formatE18, parseE18 } from './pricing.js'

export interface SwapView {
  pool: string
  blockNumber: number
  logIndex: number
  txHash: string
  time: string
  sender: string
  recipient: string
  amount0In: string
  amount1In: string
  amount0Out: string
  amount1Out: string
  reserve0: string
  reserve1: string
  /** token1 per token0 in whole units after the swap. */
  price: string
}

export interface CandleView {
  time: string
  open: string
  high: string
  low: string
  close: string
  /** Base units of token0 and token1 traded (in and out). */
  volume0: string
  volume1: string
  /** The same volumes in whole tokens (decimals applied). */
  volume0Tokens: string
  volume1Tokens: string
  trades: number
}

/** Opaque page cursor: the position of the last swap of a page. */
export const encodeSwapCursor = (blockNumber: number, logIndex: number) => `${blockNumber}-${logIndex}`

export function decodeSwapCursor(cursor: string): { blockNumber: number; logIndex: number } | null {
  const match = /^(\d{1,15})-(\d{1,9})$/.exec(cursor)
  return match ? { blockNumber: Number(match[1]), logIndex: Number(match[2]) } : null
}

const iso = (value: unknown) => new Date(value as string).toISOString()

/** Swaps newest first, optionally for one pool, paged by (block, log) position. */
export async function listSwaps(
  db: Kysely<DexDatabase>,
  options: {
    pool?: string | undefined
    limit: number
    before?: { blockNumber: number; logIndex: number } | undefined
  },
): Promise<{ swaps: SwapView[]; nextCursor: string | null }> {
  let query = db.selectFrom('swaps').selectAll()
  if (options.pool) query = query.where('pool', '=', options.pool.toLowerCase())
  const before = options.before
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('block_number', '<', before.blockNumber),
        eb.and([eb('block_number', '=', before.blockNumber), eb('log_index', '<', before.logIndex)]),
      ]),
    )
  }
  const rows = await query
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .limit(options.limit + 1)
    .execute()
  const page = rows.slice(0, options.limit)
  const swaps = page.map((r) => ({
    pool: r.pool,
    blockNumber: Number(r.block_number),
    logIndex: r.log_index,
    txHash: r.tx_hash,
    time: iso(r.block_time),
    sender: r.sender,
    recipient: r.recipient,
    amount0In: r.amount0_in,
    amount1In: r.amount1_in,
    amount0Out: r.amount0_out,
    amount1Out: r.amount1_out,
    reserve0: r.reserve0,
    reserve1: r.reserve1,
    price: r.price,
  }))
  const last = swaps.at(-1)
  return {
    swaps,
    nextCursor:
      rows.length > options.limit && last ? encodeSwapCursor(last.blockNumber, last.logIndex) : null,
  }
}

/** A stored candle with prices as 18-decimal fixed point, before it is oriented and rendered. */
export interface Candle {
  /** Bucket start, Unix seconds. */
  bucket: number
  open: bigint
  high: bigint
  low: bigint
  close: bigint
  volume0: bigint
  volume1: bigint
  trades: number
}

/**
 * The newest `limit` buckets of a pool (optionally within [from, to]), oldest first, with no gaps:
 * a bucket without a price move repeats the previous close with no volume. The series ends at the
 * newest indexed block (or `to`) and starts at the pool's first candle at the earliest.
 */
export async function listCandles(
  db: Kysely<DexDatabase>,
  options: {
    pool: string
    interval: Interval
    limit: number
    from?: Date | undefined
    to?: Date | undefined
  },
): Promise<Candle[]> {
  const pool = options.pool.toLowerCase()
  const step = INTERVALS[options.interval]
  const latest = await db
    .selectFrom('blocks')
    .select(sql<Date | string | null>`max(timestamp)`.as('t'))
    .executeTakeFirst()
  const endTime = options.to ?? (latest?.t ? new Date(latest.t) : null)
  if (endTime === null) return []
  const end = bucketOf(Math.floor(endTime.getTime() / 1000), options.interval)
  const firstWanted = options.from
    ? bucketOf(Math.ceil(options.from.getTime() / 1000) + step - 1, options.interval)
    : -Infinity
  const start = Math.max(firstWanted, end - (options.limit - 1) * step)
  if (start > end) return []
  const rows = await db
    .selectFrom('candles')
    .selectAll()
    .where('pool', '=', pool)
    .where('interval', '=', options.interval)
    .where('bucket_start', '>=', new Date(start * 1000))
    .where('bucket_start', '<=', new Date(end * 1000))
    .orderBy('bucket_start')
    .execute()
  const previous = await db
    .selectFrom('candles')
    .select('close')
    .where('pool', '=', pool)
    .where('interval', '=', options.interval)
    .where('bucket_start', '<', new Date(start * 1000))
    .orderBy('bucket_start', 'desc')
    .limit(1)
    .executeTakeFirst()
  const stored = new Map(rows.map((r) => [Math.floor(new Date(r.bucket_start).getTime() / 1000), r]))
  const candles: Candle[] = []
  let carry = previous ? parseE18(previous.close) : null
  for (let bucket = start; bucket <= end; bucket += step) {
    const row = stored.get(bucket)
    if (row) {
      const candle = {
        bucket,
        open: parseE18(row.open),
        high: parseE18(row.high),
        low: parseE18(row.low),
        close: parseE18(row.close),
        volume0: BigInt(row.volume0),
        volume1: BigInt(row.volume1),
        trades: Number(row.trades),
      }
      candles.push(candle)
      carry = candle.close
    } else if (carry !== null) {
      candles.push({
        bucket,
        open: carry,
        high: carry,
        low: carry,
        close: carry,
        volume0: 0n,
        volume1: 0n,
        trades: 0,
      })
    }
  }
  return candles
}

/** The candle as the API shows it: prices and whole-token volumes as decimal strings. */
export function renderCandle(c: Candle, decimals: [number | null, number | null]): CandleView {
  return {
    time: new Date(c.bucket * 1000).toISOString(),
    open: formatE18(c.open),
    high: formatE18(c.high),
    low: formatE18(c.low),
    close: formatE18(c.close),
    volume0: c.volume0.toString(),
    volume1: c.volume1.toString(),
    volume0Tokens: formatUnits(c.volume0, decimals[0] ?? 0),
    volume1Tokens: formatUnits(c.volume1, decimals[1] ?? 0),
    trades: c.trades,
  }
}

/** A stored candle row (the live feed reads them) as the API shows it. */
export function toCandleView(r: Record<string, any>, decimals: [number | null, number | null]): CandleView {
  return renderCandle(
    {
      bucket: Math.floor(new Date(r.bucket_start).getTime() / 1000),
      open: parseE18(String(r.open)),
      high: parseE18(String(r.high)),
      low: parseE18(String(r.low)),
      close: parseE18(String(r.close)),
      volume0: BigInt(r.volume0),
      volume1: BigInt(r.volume1),
      trades: Number(r.trades),
    },
    decimals,
  )
}

const E36 = 10n ** 36n
const E18 = 10n ** 18n

/** The same candle priced the other way round (token0 per token1): 1/price, high and low swap. */
export function invertCandle(c: Candle): Candle {
  const inv = (p: bigint) => (p === 0n ? 0n : E36 / p)
  return { ...c, open: inv(c.open), high: inv(c.low), low: inv(c.high), close: inv(c.close) }
}

/**
 * The candle in USD: each price times the counter token's USD price at that bucket's close
 * (`usd` by bucket). Buckets without a USD price are left out.
 */
export function inUsd(candles: Candle[], usd: (bucket: number) => bigint | undefined): Candle[] {
  const out: Candle[] = []
  for (const c of candles) {
    const rate = usd(c.bucket)
    if (rate === undefined) continue
    const times = (p: bigint) => (p * rate) / E18
    out.push({ ...c, open: times(c.open), high: times(c.high), low: times(c.low), close: times(c.close) })
  }
  return out
}
