import type { Kysely } from 'kysely'
import type { Interval } from '../indexer/candles.js'

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
  volume0: string
  volume1: string
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
  db: Kysely<any>,
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

/** The newest `limit` candles of a pool (optionally within [from, to]), oldest first. */
export async function listCandles(
  db: Kysely<any>,
  options: {
    pool: string
    interval: Interval
    limit: number
    from?: Date | undefined
    to?: Date | undefined
  },
): Promise<CandleView[]> {
  let query = db
    .selectFrom('candles')
    .selectAll()
    .where('pool', '=', options.pool.toLowerCase())
    .where('interval', '=', options.interval)
  if (options.from) query = query.where('bucket_start', '>=', options.from)
  if (options.to) query = query.where('bucket_start', '<=', options.to)
  const rows = await query.orderBy('bucket_start', 'desc').limit(options.limit).execute()
  return rows.reverse().map(toCandleView)
}

export function toCandleView(r: Record<string, any>): CandleView {
  return {
    time: iso(r.bucket_start),
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    volume0: r.volume0,
    volume1: r.volume1,
    trades: r.trades,
  }
}
