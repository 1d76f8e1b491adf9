import { GroupCommit } from '@platform/service-kit/db'
import type { Consumer, DeadLetter, JobQueue } from '@platform/service-kit/queue'
import { DEX_EVENTS_EXCHANGE } from '../../indexer/queue-sink.js'
import type { IntelDb } from '../tables.js'
import { ApplyCache, applyEvents } from './apply.js'
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
  /** The same seconds split where they were spent (bounded rings; see `PipelineStage`). */
  stages: Record<PipelineStage, number[]>
  /** Wall-clock ms of recent applications, for throughput. */
  appliedAt: number[]
}

const RING = 4096

/**
 * Where an event's latency goes: `outbox` from the write in the indexing transaction to the
 * relay's publish (the indexing transaction's own length, then the relay's wake-up), `queue` from
 * the publish to the consumer's delivery (the broker), `apply` from the delivery to the commit of
 * its batch (waiting behind the batch being committed, then its own transaction).
 */
export type PipelineStage = 'outbox' | 'queue' | 'apply'
export const PIPELINE_STAGES: readonly PipelineStage[] = ['outbox', 'queue', 'apply']

/** When one event was written to the outbox, published by the relay and delivered here. */
export interface EventTimes {
  createdAt?: Date | undefined
  publishedAt?: Date | undefined
  /** Epoch ms; the time of `handle` when absent. */
  deliveredAt?: number
}

function pushBounded(ring: number[], value: number): void {
  ring.push(value)
  if (ring.length > RING) ring.shift()
}
/** Events in one batch transaction at most (the consumer's prefetch bounds it too). */
export const MAX_BATCH = 256

/** A delivery for the group commit: a valid event, or one already known to be poison. */
type Delivery = { payload: unknown; times: EventTimes } & (
  | { event: PipelineEvent; poison?: undefined }
  | { event?: undefined; poison: PoisonEvent }
)

export interface PipelineProcessorOptions {
  maxBatch?: number
  /**
   * Let deliveries that arrive together join the first batch after an idle spell (default true):
   * the relay publishes a block's events together, and without this the first would commit alone
   * with the rest waiting behind its transaction.
   */
  gatherBurst?: boolean
  /**
   * Test hook: runs inside the batch transaction for each event once its run is applied (throwing rolls the
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
    stages: { outbox: [], queue: [], apply: [] },
    appliedAt: [],
  }
  /** Told each applied event's latency, end to end and per stage (the metrics histograms). */
  onLatency?: (seconds: number, stages: Partial<Record<PipelineStage, number>>) => void
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
      gatherBurst: options.gatherBurst ?? true,
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
   * Applies one delivered payload in the next batch; poison goes to the DLQ. `times` say when the
   * event was written and published, for the latency figures. Call in delivery order: the
   * queueing itself is synchronous.
   */
  handle(payload: unknown, times: EventTimes = {}): Promise<Outcome> {
    const stamped = { ...times, deliveredAt: times.deliveredAt ?? Date.now() }
    let delivery: Delivery
    try {
      delivery = { payload, times: stamped, event: validateEvent(payload) }
    } catch (error) {
      if (!(error instanceof PoisonEvent)) return Promise.reject(error)
      delivery = { payload, times: stamped, poison: error }
    }
    return this.group.submit(delivery).then((outcome) => {
      this.note(outcome, stamped)
      return outcome
    })
  }

  /** Claims and applies one event in its own transaction (a DLQ replay); 'duplicate' when seen before. */
  async process(event: PipelineEvent, inOrder: boolean): Promise<'applied' | 'duplicate'> {
    return this.db.transaction().execute(async (trx) => {
      const cache = new ApplyCache()
      const [outcome] = await applyEvents(trx, [event], inOrder, cache)
      await cache.flush(trx)
      return outcome as 'applied' | 'duplicate'
    })
  }

  /**
   * One batch: claims, applies and dead-letters in delivery order, in one transaction. The valid
   * events between two poison ones are applied together (a few statements for the whole run).
   */
  private async commit(deliveries: Delivery[]): Promise<Outcome[]> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const outcomes: Outcome[] = []
        const cache = new ApplyCache()
        let run: PipelineEvent[] = []
        const applyRun = async () => {
          outcomes.push(...(await applyEvents(trx, run, true, cache)))
          for (const event of run) await this.options.inTransaction?.(event, deliveries.length)
          run = []
        }
        for (const delivery of deliveries) {
          if (delivery.poison) {
            await applyRun()
            await recordDeadLetter(trx, delivery.payload, delivery.poison)
            outcomes.push('dead_lettered')
          } else run.push(delivery.event)
        }
        await applyRun()
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

  private note(outcome: Outcome, times: EventTimes): void {
    if (outcome === 'applied') this.noteApplied(times)
    else if (outcome === 'duplicate') this.stats.duplicates++
    else this.stats.deadLettered++
  }

  noteApplied(times: EventTimes = {}): void {
    this.stats.applied++
    const now = Date.now()
    pushBounded(this.stats.appliedAt, now)
    const { createdAt, publishedAt, deliveredAt } = times
    if (!createdAt) return
    const seconds = (now - createdAt.getTime()) / 1000
    pushBounded(this.stats.latencies, seconds)
    const stages: Partial<Record<PipelineStage, number>> = {}
    if (publishedAt && deliveredAt !== undefined) {
      stages.outbox = (publishedAt.getTime() - createdAt.getTime()) / 1000
      stages.queue = (deliveredAt - publishedAt.getTime()) / 1000
      stages.apply = (now - deliveredAt) / 1000
      for (const stage of PIPELINE_STAGES) pushBounded(this.stats.stages[stage], stages[stage] as number)
    }
    this.onLatency?.(seconds, stages)
  }
}

/** The relay's ISO time stamps (absent on events published before they existed). */
const stampOf = (value: unknown) => (typeof value === 'string' ? new Date(value) : undefined)

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
      const deliveredAt = Date.now()
      const { createdAt, publishedAt, ...event } = payload ?? {}
      const outcome = await processor.handle(event, {
        createdAt: stampOf(createdAt),
        publishedAt: stampOf(publishedAt),
        deliveredAt,
      })
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
