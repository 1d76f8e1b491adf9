import { type Kysely, sql } from 'kysely'
import type { DexDatabase } from '../db/schema.js'
import type { IndexBatch } from '../indexer/batch.js'
import { bucketOf, INTERVAL_NAMES } from '../indexer/candles.js'
import type { Indexer } from '../indexer/indexer.js'
import { type CandleView, toCandleView } from '../market/history.js'
import type { PoolRegistry } from '../market/pool-registry.js'
import { formatE18, parseE18, spotPriceE18 } from '../market/pricing.js'

export type LiveChannel = 'swaps' | 'pools' | 'candles'
export const LIVE_CHANNELS: LiveChannel[] = ['swaps', 'pools', 'candles']

export type LiveMessage =
  | { channel: 'swaps'; pool: string; data: Record<string, unknown> }
  | { channel: 'pools'; pool: string; data: Record<string, unknown> }
  | {
      channel: 'candles'
      pool: string
      interval: string
      data: CandleView & { pool: string; interval: string }
    }
  | { channel: 'reorg'; pool: null; data: { fork: number | null } }

export interface LiveSubscription {
  channels: Set<LiveChannel>
  pool?: string | undefined
  interval?: string | undefined
  send(message: LiveMessage): void
  /** Ends the subscriber's stream (server shutdown). */
  close(): void
}

/** A stored swap as the live feed sends it. */
interface LiveSwap {
  pool: string
  blockNumber: number
  logIndex: number
  txHash: string
  time: number
  sender: string
  recipient: string
  amounts: [bigint | string, bigint | string, bigint | string, bigint | string]
  reserves: [bigint | string, bigint | string]
  price: string
}

/** Swaps a follower sends per advance at most (a follower that fell far behind skips the rest). */
const MAX_STORED_SWAPS = 5_000

/**
 * Turns each committed indexer batch into live messages (new swaps, pool reserve updates, the
 * merged candles the batch touched) and fans them out to subscribers, filtered per subscription.
 * A process that does not write the index (a follower, DEX_INDEXER=false or not the lease holder)
 * has no batches: when its indexer reports that the stored index advanced, the same messages are
 * read back from the database for the new blocks, so clients of any replica get the same feed.
 */
export class LiveHub {
  private readonly subscriptions = new Set<LiveSubscription>()

  constructor(
    private readonly db: Kysely<DexDatabase>,
    private readonly registry: PoolRegistry,
    indexer: Indexer,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    indexer.on('batch', (batch) => {
      this.publishBatch(batch).catch(this.onError)
    })
    indexer.on('advance', ({ from, to }) => {
      if (!indexer.indexing && from !== null) this.publishStored(from, to).catch(this.onError)
    })
    indexer.on('reorg', ({ fork }) => this.dispatch({ channel: 'reorg', pool: null, data: { fork } }))
  }

  get size(): number {
    return this.subscriptions.size
  }

  subscribe(subscription: LiveSubscription): () => void {
    this.subscriptions.add(subscription)
    return () => this.subscriptions.delete(subscription)
  }

  /** Closes every stream, so an HTTP server can drain. */
  close(): void {
    for (const s of [...this.subscriptions]) s.close()
    this.subscriptions.clear()
  }

  private wants(channel: LiveChannel): boolean {
    for (const s of this.subscriptions) if (s.channels.has(channel)) return true
    return false
  }

  private dispatch(message: LiveMessage): void {
    for (const s of this.subscriptions) {
      if (message.channel !== 'reorg') {
        if (!s.channels.has(message.channel)) continue
        if (s.pool !== undefined && s.pool !== message.pool) continue
        if (message.channel === 'candles' && s.interval !== undefined && s.interval !== message.interval)
          continue
      }
      s.send(message)
    }
  }

  private async publishBatch(batch: IndexBatch): Promise<void> {
    if (this.subscriptions.size === 0) return
    for (const s of batch.swaps) {
      this.sendSwap({
        pool: s.pool,
        blockNumber: s.blockNumber,
        logIndex: s.logIndex,
        txHash: s.txHash,
        time: s.time,
        sender: s.sender,
        recipient: s.recipient,
        amounts: [s.amount0In, s.amount1In, s.amount0Out, s.amount1Out],
        reserves: [s.reserve0, s.reserve1],
        price: formatE18(s.priceE18),
      })
    }
    for (const u of batch.poolUpdates) this.sendPool(u)
    if (batch.candles.length > 0 && this.wants('candles')) {
      // The batch holds deltas; subscribers want the merged candle as stored.
      const rows = await sql<Record<string, any>>`
        select c.* from candles c
        join unnest(${batch.candles.map((c) => c.pool)}::text[], ${batch.candles.map((c) => c.interval)}::text[],
          ${batch.candles.map((c) => new Date(c.bucket * 1000).toISOString())}::timestamptz[]) as k(pool, interval, bucket_start)
          on c.pool = k.pool and c.interval = k.interval and c.bucket_start = k.bucket_start`.execute(this.db)
      this.sendCandles(rows.rows)
    }
  }

  /** A follower's batch: the swaps, pool updates and candles of blocks `from` < n <= `to`, as stored. */
  private async publishStored(from: number, to: number): Promise<void> {
    if (this.subscriptions.size === 0 || to <= from) return
    if (this.wants('swaps')) {
      const swaps = await this.db
        .selectFrom('swaps')
        .selectAll()
        .where('block_number', '>', from)
        .where('block_number', '<=', to)
        .orderBy('block_number')
        .orderBy('log_index')
        .limit(MAX_STORED_SWAPS)
        .execute()
      for (const s of swaps) {
        this.sendSwap({
          pool: s.pool,
          blockNumber: Number(s.block_number),
          logIndex: s.log_index,
          txHash: s.tx_hash,
          time: new Date(s.block_time).getTime() / 1000,
          sender: s.sender,
          recipient: s.recipient,
          amounts: [s.amount0_in, s.amount1_in, s.amount0_out, s.amount1_out],
          reserves: [s.reserve0, s.reserve1],
          price: formatE18(parseE18(String(s.price))),
        })
      }
    }
    // The registry was reloaded with the stored index: its pools updated in the range are the updates.
    const updated = this.registry.pools().filter((p) => p.updatedBlock > from && p.updatedBlock <= to)
    for (const p of updated) this.sendPool({ ...p })
    if (updated.length > 0 && this.wants('candles')) {
      // Every candle of an updated pool from the bucket holding the range's first block on.
      const first = await this.db
        .selectFrom('blocks')
        .select((eb) => eb.fn.min('timestamp').as('time'))
        .where('number', '>', from)
        .where('number', '<=', to)
        .executeTakeFirst()
      if (!first?.time) return
      const since = Math.floor(new Date(first.time).getTime() / 1000)
      const rows = await sql<Record<string, any>>`
        select c.* from candles c
        join unnest(${INTERVAL_NAMES}::text[], ${INTERVAL_NAMES.map((i) => new Date(bucketOf(since, i) * 1000).toISOString())}::timestamptz[]) as k(interval, since)
          on c.interval = k.interval and c.bucket_start >= k.since
        where c.pool = any(${updated.map((p) => p.address)}::text[])
        order by c.bucket_start`.execute(this.db)
      this.sendCandles(rows.rows)
    }
  }

  private sendSwap(s: LiveSwap): void {
    this.dispatch({
      channel: 'swaps',
      pool: s.pool,
      data: {
        pool: s.pool,
        blockNumber: s.blockNumber,
        logIndex: s.logIndex,
        txHash: s.txHash,
        time: new Date(s.time * 1000).toISOString(),
        sender: s.sender,
        recipient: s.recipient,
        amount0In: s.amounts[0].toString(),
        amount1In: s.amounts[1].toString(),
        amount0Out: s.amounts[2].toString(),
        amount1Out: s.amounts[3].toString(),
        reserve0: s.reserves[0].toString(),
        reserve1: s.reserves[1].toString(),
        price: s.price,
      },
    })
  }

  private sendPool(u: {
    address: string
    reserve0: bigint
    reserve1: bigint
    totalSupply: bigint
    updatedBlock: number
  }): void {
    const pool = this.registry.pool(u.address)
    if (pool === undefined) return
    const d0 = this.registry.token(pool.token0)?.decimals
    const d1 = this.registry.token(pool.token1)?.decimals
    this.dispatch({
      channel: 'pools',
      pool: u.address,
      data: {
        address: u.address,
        reserves: [u.reserve0.toString(), u.reserve1.toString()],
        totalSupply: u.totalSupply.toString(),
        price: formatE18(spotPriceE18(u.reserve0, u.reserve1, d0, d1)),
        updatedBlock: u.updatedBlock,
      },
    })
  }

  private sendCandles(rows: Array<Record<string, any>>): void {
    for (const row of rows) {
      const pool = this.registry.pool(row.pool)
      const decimals: [number | null, number | null] = [
        pool ? (this.registry.token(pool.token0)?.decimals ?? null) : null,
        pool ? (this.registry.token(pool.token1)?.decimals ?? null) : null,
      ]
      this.dispatch({
        channel: 'candles',
        pool: row.pool,
        interval: row.interval,
        data: { pool: row.pool, interval: row.interval, ...toCandleView(row, decimals) },
      })
    }
  }
}
