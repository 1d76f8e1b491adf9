import type { Registry } from 'prom-client'
import type { Cache } from '../cache/types.js'
import { AmqpJobQueue } from './amqp.js'
import { IdempotencyGuard } from './idempotency.js'
import { MemoryJobQueue } from './memory.js'
import type { JobQueue } from './types.js'

export interface QueueOptions {
  /** RabbitMQ URL (config AMQP_URL). Absent = the in-process driver. */
  amqpUrl?: string | undefined
  /** Where idempotency keys live; use the Redis cache in production so publishers share them. */
  cache?: Cache | undefined
  idempotencyTtlMs?: number | undefined
  onError?: ((error: Error) => void) | undefined
  /** The app's metrics Registry, for queue_jobs_total and friends. */
  registry?: Registry | undefined
}

/** Picks the driver from config: RabbitMQ when a URL is given, otherwise in-process. */
export async function createQueue(options: QueueOptions = {}): Promise<JobQueue> {
  const idempotency = options.cache
    ? new IdempotencyGuard(options.cache, options.idempotencyTtlMs)
    : undefined
  if (options.amqpUrl) {
    return AmqpJobQueue.connect({
      url: options.amqpUrl,
      ...(idempotency ? { idempotency } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      registry: options.registry,
    })
  }
  return new MemoryJobQueue({ idempotency, registry: options.registry })
}
