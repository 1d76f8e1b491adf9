import type { JobQueue } from '@platform/service-kit/queue'
import { sql } from 'kysely'
import { DEX_EVENTS_EXCHANGE } from '../../indexer/queue-sink.js'
import type { IntelDb } from '../tables.js'

export interface OutboxRelayOptions {
  db: IntelDb
  queue: JobQueue
  exchange?: string
  /**
   * The pipeline's durable queue, declared and bound before the first publish when the
   * deployment runs a pipeline: an event published before the pipeline's own process first
   * subscribed would otherwise be dropped by the broker (no queue bound) and, stamped published,
   * never reach it.
   */
  pipelineQueue?: string
  /** Rows published per transaction. */
  batchSize?: number
  pollMs?: number
  /** Published rows older than this are deleted (default one day). */
  retentionMs?: number
  onError?: (error: unknown) => void
}

/**
 * Publishes the outbox in `seq` order and stamps each row once the broker took it. A crash
 * between the publish and the stamp publishes the row again: delivery is at least once, and
 * consumers drop duplicates by event id. Rows are claimed with SKIP LOCKED, so two relays (two
 * replicas) never publish the same row concurrently.
 */
export class OutboxRelay {
  private running = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  private lastPrune = 0
  private declared = false
  published = 0

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Publish now (the indexer just committed a range). */
  poke(): void {
    this.wake?.()
  }

  async stop(): Promise<void> {
    this.running = false
    this.wake?.()
    await this.loop
  }

  /** Publishes one batch of pending rows; returns how many. */
  async publishPending(): Promise<number> {
    const { db, queue } = this.options
    const exchange = this.options.exchange ?? DEX_EVENTS_EXCHANGE
    const count = await db.transaction().execute(async (trx) => {
      const rows = await sql<{
        seq: string
        topic: string
        payload: Record<string, unknown>
        created_at: Date | string
      }>`
        select seq, topic, payload, created_at from intel_outbox where published_at is null
        order by seq limit ${this.options.batchSize ?? 500} for update skip locked`.execute(trx)
      if (!this.declared && this.options.pipelineQueue !== undefined) {
        await queue.declareEventQueue(exchange, '#', this.options.pipelineQueue)
        this.declared = true
      }
      const publishedAt = new Date().toISOString()
      await queue.publishEvents(
        exchange,
        rows.rows.map((row) => ({
          topic: row.topic,
          event: {
            ...row.payload,
            seq: Number(row.seq),
            createdAt: new Date(row.created_at).toISOString(),
            publishedAt,
          },
        })),
      )
      if (rows.rows.length > 0) {
        await sql`update intel_outbox set published_at = now()
          where seq = any(${rows.rows.map((r) => r.seq)}::bigint[])`.execute(trx)
      }
      return rows.rows.length
    })
    this.published += count
    return count
  }

  /** Events written but not yet published. */
  async pending(): Promise<number> {
    const row = await sql<{ n: string }>`
      select count(*) as n from intel_outbox where published_at is null`.execute(this.options.db)
    return Number(row.rows[0]?.n ?? 0)
  }

  private async prune(): Promise<void> {
    const retention = this.options.retentionMs ?? 86_400_000
    if (Date.now() - this.lastPrune < Math.min(retention, 60_000)) return
    this.lastPrune = Date.now()
    const before = new Date(Date.now() - retention).toISOString()
    await sql`delete from intel_outbox where published_at < ${before}::timestamptz`.execute(this.options.db)
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        while (this.running && (await this.publishPending()) > 0) {}
        await this.prune()
      } catch (error) {
        this.options.onError?.(error)
      }
      if (!this.running) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? 100)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = null
    }
  }
}
