import { GroupCommit } from '@platform/service-kit/db'
import type { Consumer, DeadLetter, JobQueue } from '@platform/service-kit/queue'
import type { Transaction } from 'kysely'
import { DEX_EVENTS_EXCHANGE } from '../../indexer/queue-sink.js'
import type { IntelDb } from '../tables.js'
import { ApplyCache, applyEvent, claimEvent } from './apply.js'
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
  /** Transactions committed by the consumer's group commit (one per batch). */
  batches: number
  /** Batch transactions that failed and were split (or, alone, retried). */
  failedBatches: number
  /** Events in the largest committed batch. */
  largestBatch: number
  /** Seconds from the outbox write to the event's application, per applied event (bounded ring). */
  latencies: number[]
  /** Wall-clock ms of recent applications, for throughput. */
  appliedAt: number[]
}

const RING = 4096
/** Events in one batch transaction at most (the consumer's prefetch bounds it too). */
export const MAX_BATCH = 256

/** A delivery for the group commit: a valid event, or one already known to be poison. */
type Delivery = { payload: unknown; createdAt?: Date | undefined } & (
  | { event: PipelineEvent; poison?: undefined }
  | { event?: undefined; poison: PoisonEvent }
)

export interface PipelineProcessorOptions {
  maxBatch?: number
  /**
   * Test hook: runs inside the batch transaction after each event is applied (throwing rolls the
   * batch back, as a lost connection would).
   */
  inTransaction?: (event: PipelineEvent, batchSize: number) => void | Promise<void>
}

/**
 * Validates, de-duplicates and applies events with group commit: deliveries queue in chain order,
 * and whatever queued while the previous batch committed is applied as ONE transaction (every
 * event id claimed, so a redelivered event or a duplicate inside the batch is dropped; the
 * aggregates moved in delivery order; one commit). Each delivery is answered, hence acked, only
 * after its batch committed, so a crash before the ack only causes a redelivery. Poison events
 * (bad schema, out of order, unknown pool) are written to the DLQ with the reason and
 * acknowledged: a schema failure is known before batching and its DLQ row is written in the
 * batch, in order; an apply-time poison fails its batch, which is split in halves until the event
 * is alone (kit GroupCommit). Other errors of a lone event are retried by the queue.
 */
export class PipelineProcessor {
  readonly stats: ConsumerStats = {
    applied: 0,
    duplicates: 0,
    deadLettered: 0,
    batches: 0,
    failedBatches: 0,
    largestBatch: 0,
    latencies: [],
    appliedAt: [],
  }
  /** Told each applied event's latency (the metrics histogram). */
  onLatency?: (seconds: number) => void
  /** Told each committed batch's size (the metrics histogram). */
  onBatch?: (size: number) => void
  private readonly group: GroupCommit<Delivery, Outcome>

  constructor(
    private readonly db: IntelDb,
    private readonly options: PipelineProcessorOptions = {},
  ) {
    this.group = new GroupCommit<Delivery, Outcome>({
      commit: (deliveries) => this.commit(deliveries),
      maxBatch: options.maxBatch ?? MAX_BATCH,
      recover: (delivery, error) => this.recover(delivery, error),
    })
    this.group.onBatch = (size) => {
      this.stats.batches++
      this.stats.largestBatch = Math.max(this.stats.largestBatch, size)
      this.onBatch?.(size)
    }
  }

  /** Deliveries queued behind the batch being committed. */
  get waiting(): number {
    return this.group.waiting
  }

  /**
   * Applies one delivered payload in the next batch; poison goes to the DLQ. `createdAt` is the
   * outbox write time. Call in delivery order: the queueing itself is synchronous.
   */
  handle(payload: unknown, createdAt?: Date): Promise<Outcome> {
    let delivery: Delivery
    try {
      delivery = { payload, createdAt, event: validateEvent(payload) }
    } catch (error) {
      if (!(error instanceof PoisonEvent)) return Promise.reject(error)
      delivery = { payload, createdAt, poison: error }
    }
    return this.group.submit(delivery).then((outcome) => {
      this.note(outcome, createdAt)
      return outcome
    })
  }

  /** Claims and applies one event in its own transaction (a DLQ replay); 'duplicate' when seen before. */
  async process(event: PipelineEvent, inOrder: boolean): Promise<'applied' | 'duplicate'> {
    return this.db.transaction().execute(async (trx) => {
      const cache = new ApplyCache()
      const outcome = await applyClaimed(trx, event, inOrder, cache)
      await cache.flush(trx)
      return outcome
    })
  }

  /** One batch: claims, applies and dead-letters in delivery order, in one transaction. */
  private async commit(deliveries: Delivery[]): Promise<Outcome[]> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const outcomes: Outcome[] = []
        const cache = new ApplyCache()
        for (const delivery of deliveries) {
          if (delivery.poison) {
            await recordDeadLetter(trx, delivery.payload, delivery.poison)
            outcomes.push('dead_lettered')
            continue
          }
          outcomes.push(await applyClaimed(trx, delivery.event, true, cache))
          await this.options.inTransaction?.(delivery.event, deliveries.length)
        }
        await cache.flush(trx)
        return outcomes
      })
    } catch (error) {
      this.stats.failedBatches++
      throw error
    }
  }

  /** A lone delivery whose transaction failed: poison goes to the DLQ, anything else is retried. */
  private async recover(delivery: Delivery, error: unknown): Promise<Outcome> {
    if (!(error instanceof PoisonEvent)) throw error
    await recordDeadLetter(this.db, delivery.payload, error)
    return 'dead_lettered'
  }

  private note(outcome: Outcome, createdAt?: Date): void {
    if (outcome === 'applied') this.noteApplied(createdAt)
    else if (outcome === 'duplicate') this.stats.duplicates++
    else this.stats.deadLettered++
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
}

/** Claims the event id and, when it is new, applies the event (inside the caller's transaction). */
async function applyClaimed(
  trx: Transaction<any>,
  event: PipelineEvent,
  inOrder: boolean,
  cache: ApplyCache,
) {
  const block = event.type === 'reorg' ? (event.forkBlock ?? -1) : event.blockNumber
  if (!(await claimEvent(trx, event.id, block))) return 'duplicate' as const
  await applyEvent(trx, event, inOrder, cache)
  return 'applied' as const
}

export interface PipelineConsumerOptions {
  db: IntelDb
  queue: JobQueue
  exchange?: string
  queueName?: string
  /**
   * Deliveries in flight (default MAX_BATCH): the most events one batch can carry. 1 gives one
   * transaction per event.
   */
  prefetch?: number
  /** Test hook: runs after an event's batch committed and before the event is acknowledged. */
  afterApply?: (event: unknown) => void | Promise<void>
}

/**
 * Subscribes the processor to every DEX event (`#`) on a named durable queue. Up to `prefetch`
 * deliveries are in flight; the handler queues each into the processor's group commit in
 * delivery (chain) order, so events still apply in chain order, a batch per transaction. Also
 * moves the queue's own dead letters (handlers that kept failing) into the DLQ table.
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
      if (outcome === 'applied') await options.afterApply?.(event)
    },
    {
      queue: queueName,
      prefetch: options.prefetch ?? MAX_BATCH,
      maxAttempts: 5,
      backoff: { baseMs: 200, factor: 2, maxMs: 5_000 },
    },
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
