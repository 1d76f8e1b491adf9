import { type Kysely, sql } from 'kysely'
import type { DexDatabase } from '../db/schema.js'
import type { IndexBatch } from '../indexer/batch.js'
import type { Indexer } from '../indexer/indexer.js'
import { type CandleView, toCandleView } from '../market/history.js'
import type { PoolRegistry } from '../market/pool-registry.js'
import { formatE18, spotPriceE18 } from '../market/pricing.js'

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

/**
 * Turns each committed indexer batch into live messages (new swaps, pool reserve updates, the
 * merged candles the batch touched) and fans them out to subscribers, filtered per subscription.
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
          amount0In: s.amount0In.toString(),
          amount1In: s.amount1In.toString(),
          amount0Out: s.amount0Out.toString(),
          amount1Out: s.amount1Out.toString(),
          reserve0: s.reserve0.toString(),
          reserve1: s.reserve1.toString(),
          price: formatE18(s.priceE18),
        },
      })
    }
    for (const u of batch.poolUpdates) {
      const pool = this.registry.pool(u.address)
      if (pool === undefined) continue
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
    if (batch.candles.length > 0 && this.wants('candles')) {
      // The batch holds deltas; subscribers want the merged candle as stored.
      const rows = await sql<Record<string, any>>`
        select c.* from candles c
        join unnest(${batch.candles.map((c) => c.pool)}::text[], ${batch.candles.map((c) => c.interval)}::text[],
          ${batch.candles.map((c) => new Date(c.bucket * 1000).toISOString())}::timestamptz[]) as k(pool, interval, bucket_start)
          on c.pool = k.pool and c.interval = k.interval and c.bucket_start = k.bucket_start`.execute(this.db)
      for (const row of rows.rows) {
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
}
