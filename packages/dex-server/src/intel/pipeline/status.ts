import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'
import { type ConsumerStats, PIPELINE_STAGES, type PipelineStage } from './consumer.js'
import { openDeadLetters } from './dlq.js'

export interface PipelineStatus {
  lag: { events: number; seconds: number; blocks: number | null }
  throughput: { eventsPerSecond: number; windowSeconds: number }
  dlq: { open: number }
  outbox: { pending: number }
  totals: { applied: number; duplicates: number; deadLettered: number }
  latency: {
    p95Seconds: number | null
    samples: number
    /** p95 of each stage of the latency (outbox → relay → queue → applied). */
    stagesP95Seconds: Record<PipelineStage, number | null>
  }
  watermark: { blockNumber: number; seq: number } | null
  updatedAt: string
}

const THROUGHPUT_WINDOW_S = 60

export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number
}

/**
 * Where the consumers stand against the outbox: events written but not applied yet (and how long
 * the oldest of them has waited), blocks behind the indexer's head, recent throughput, DLQ size.
 */
export async function readPipelineStatus(
  db: IntelDb,
  stats: ConsumerStats,
  headBlock: number | null,
): Promise<PipelineStatus> {
  const wm = await sql<{ seq: string; block_number: string }>`
    select seq, block_number from intel_pipeline_watermark order by updated_at desc limit 1`.execute(db)
  const watermark = wm.rows[0]
    ? { seq: Number(wm.rows[0].seq), blockNumber: Number(wm.rows[0].block_number) }
    : null
  const behind = await sql<{ n: string; oldest: Date | string | null; pending: string }>`
    select count(*) as n, min(created_at) as oldest,
      count(*) filter (where published_at is null) as pending
    from intel_outbox where seq > ${watermark?.seq ?? 0}`.execute(db)
  const row = behind.rows[0]
  const events = Number(row?.n ?? 0)
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : null
  const since = Date.now() - THROUGHPUT_WINDOW_S * 1000
  const recent = stats.appliedAt.filter((t) => t >= since).length
  return {
    lag: {
      events,
      seconds: events > 0 && oldest !== null ? Math.max(0, (Date.now() - oldest) / 1000) : 0,
      blocks: headBlock === null ? null : Math.max(0, headBlock - (watermark?.blockNumber ?? -1)),
    },
    throughput: { eventsPerSecond: recent / THROUGHPUT_WINDOW_S, windowSeconds: THROUGHPUT_WINDOW_S },
    dlq: { open: await openDeadLetters(db) },
    outbox: { pending: Number(row?.pending ?? 0) },
    totals: { applied: stats.applied, duplicates: stats.duplicates, deadLettered: stats.deadLettered },
    latency: {
      p95Seconds: p95(stats.latencies),
      samples: stats.latencies.length,
      stagesP95Seconds: Object.fromEntries(
        PIPELINE_STAGES.map((stage) => [stage, p95(stats.stages[stage])]),
      ) as Record<PipelineStage, number | null>,
    },
    watermark,
    updatedAt: new Date().toISOString(),
  }
}
