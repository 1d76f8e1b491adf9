import type { Consumer, DeadLetter, JobQueue } from '@platform/service-kit/queue'
import { DEX_EVENTS_EXCHANGE } from '../../indexer/queue-sink.js'
import type { IntelDb } from '../tables.js'
import { applyEvent, claimEvent } from './apply.js'
import { recordDeadLetter } from './dlq.js'
import type { PipelineEvent } from './events.js'
import { PoisonEvent, validateEvent } from './validate.js'

/** The durable queue the pipeline's consumers share (a worker group across replicas). */
export const PIPELINE_QUEUE = 'intel.pipeline'

export type Outcome = 'applied' | 'duplicate' | 'dead_lettered'

export interface ConsumerStats {
  applied: number
  duplicates: number
  deadLettered: number
  /** Seconds from the outbox write to the event's application, per applied event (bounded ring). */
  latencies: number[]
  /** Wall-clock ms of recent applications, for throughput. */
  appliedAt: number[]
}

const RING = 4096

/**
 * Validates, de-duplicates and applies events, each in its own transaction: the event id is
 * claimed and the aggregates move together, so a redelivered event is dropped and a crash before
 * the ack only causes a redelivery. Poison events (bad schema, out of order, unknown pool) are
 * written to the DLQ with the reason and acknowledged; other errors are retried by the queue.
 */
export class PipelineProcessor {
  readonly stats: ConsumerStats = { applied: 0, duplicates: 0, deadLettered: 0, latencies: [], appliedAt: [] }
  /** Told each applied event's latency (the metrics histogram). */
  onLatency?: (seconds: number) => void

  constructor(private readonly db: IntelDb) {}

  /** Applies one delivered payload; poison goes to the DLQ. `createdAt` is the outbox write time. */
  async handle(payload: unknown, createdAt?: Date): Promise<Outcome> {
    try {
      const outcome = await this.process(validateEvent(payload), true)
      if (outcome === 'applied') this.noteApplied(createdAt)
      return outcome
    } catch (error) {
      if (!(error instanceof PoisonEvent)) throw error
      await recordDeadLetter(this.db, payload, error)
      this.stats.deadLettered++
      return 'dead_lettered'
    }
  }

  /** Claims and applies in one transaction; 'duplicate' when the id was applied before. */
  async process(event: PipelineEvent, inOrder: boolean): Promise<'applied' | 'duplicate'> {
    const block = event.type === 'reorg' ? (event.forkBlock ?? -1) : event.blockNumber
    return this.db.transaction().execute(async (trx) => {
      if (!(await claimEvent(trx, event.id, block))) return 'duplicate' as const
      await applyEvent(trx, event, inOrder)
      return 'applied' as const
    })
  }

  noteApplied(createdAt?: Date): void {
    this.stats.applied++
    const now = Date.now()
    this.stats.appliedAt.push(now)
    if (this.stats.appliedAt.length > RING) this.stats.appliedAt.shift()
    if (createdAt) {
      const seconds = (now - createdAt.getTime()) / 1000
      this.onLatency?.(seconds)
      this.stats.latencies.push(seconds)
      if (this.stats.latencies.length > RING) this.stats.latencies.shift()
    }
  }

  noteDuplicate(): void {
    this.stats.duplicates++
  }
}

export interface PipelineConsumerOptions {
  db: IntelDb
  queue: JobQueue
  exchange?: string
  queueName?: string
  /** Test hook: runs after an event is applied and before it is acknowledged. */
  afterApply?: (event: unknown) => void | Promise<void>
}

/**
 * Subscribes the processor to every DEX event (`#`) on a named durable queue, one at a time so
 * events apply in chain order, and moves the queue's own dead letters (handlers that kept
 * failing) into the DLQ table.
 */
export async function startPipelineConsumer(
  processor: PipelineProcessor,
  options: PipelineConsumerOptions,
): Promise<Consumer> {
  const queueName = options.queueName ?? PIPELINE_QUEUE
  const events = await options.queue.subscribeEvents(
    options.exchange ?? DEX_EVENTS_EXCHANGE,
    '#',
    async (payload: Record<string, unknown>) => {
      const createdAt = typeof payload?.createdAt === 'string' ? new Date(payload.createdAt) : undefined
      const { createdAt: _stamp, ...event } = payload ?? {}
      const outcome = await processor.handle(event, createdAt)
      if (outcome === 'duplicate') processor.noteDuplicate()
      if (outcome === 'applied') await options.afterApply?.(event)
    },
    { queue: queueName, prefetch: 1, maxAttempts: 5, backoff: { baseMs: 200, factor: 2, maxMs: 5_000 } },
  )
  const deadLetters = await options.queue.consume(`${queueName}.dlq`, async (dead: DeadLetter) => {
    await recordDeadLetter(options.db, dead.payload, new PoisonEvent('handler_failed', dead.error))
    processor.stats.deadLettered++
  })
  return {
    async cancel() {
      await events.cancel()
      await deadLetters.cancel()
    },
  }
}
