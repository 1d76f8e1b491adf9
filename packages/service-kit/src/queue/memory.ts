import { randomUUID } from 'node:crypto'
import type { Registry } from 'prom-client'
import { MemoryCache } from '../cache/memory.js'
import { IdempotencyGuard } from './idempotency.js'
import { QueueMetrics } from './metrics.js'
import {
  backoffDelay,
  deadLetterQueueName,
  defaultMaxAttempts,
  defaultPrefetch,
  resolveBackoff,
} from './naming.js'
import { topicMatches } from './topic-match.js'
import type {
  BackoffOptions,
  ConsumeOptions,
  Consumer,
  DeadLetter,
  EventSubscribeOptions,
  JobHandler,
  JobQueue,
  PublishOptions,
} from './types.js'

interface Envelope {
  messageId: string
  /** JSON text, so handlers never share an object with the publisher (as over the network). */
  body: string
  attempt: number
  idempotencyKey?: string | undefined
}

interface LocalConsumer {
  queue: string
  /** Metrics label: the queue, or `<exchange>.temporary` for a temporary subscriber queue. */
  label: string
  handler: JobHandler<any>
  maxAttempts: number
  backoff: BackoffOptions
  prefetch: number
  inFlight: Set<Promise<void>>
  cancelled: boolean
}

export interface MemoryJobQueueOptions {
  idempotency?: IdempotencyGuard | undefined
  registry?: Registry | undefined
}

/**
 * Embedded driver: same semantics as the RabbitMQ driver (acks, retries with backoff timers,
 * dead-letter queue, topic fan-out) inside one process. Not durable across restarts.
 */
export class MemoryJobQueue implements JobQueue {
  private readonly queues = new Map<string, Envelope[]>()
  private readonly consumers = new Map<string, LocalConsumer[]>()
  private readonly bindings = new Map<string, { pattern: string; queue: string }[]>()
  private readonly retryTimers = new Set<NodeJS.Timeout>()
  private readonly idempotency: IdempotencyGuard
  private readonly metrics: QueueMetrics
  private closed = false

  constructor(options: MemoryJobQueueOptions = {}) {
    this.idempotency = options.idempotency ?? new IdempotencyGuard(new MemoryCache())
    this.metrics = new QueueMetrics(options.registry)
  }

  async publish<T>(queue: string, payload: T, options: PublishOptions = {}): Promise<boolean> {
    this.assertOpen()
    if (options.idempotencyKey && !(await this.idempotency.claim(queue, options.idempotencyKey))) return false
    this.metrics.publish(queue)
    this.enqueue(queue, {
      messageId: randomUUID(),
      body: JSON.stringify(payload),
      attempt: 1,
      idempotencyKey: options.idempotencyKey,
    })
    return true
  }

  async consume<T>(queue: string, handler: JobHandler<T>, options: ConsumeOptions = {}): Promise<Consumer> {
    return this.addConsumer(queue, queue, handler, options)
  }

  private async addConsumer<T>(
    queue: string,
    label: string,
    handler: JobHandler<T>,
    options: ConsumeOptions,
  ): Promise<Consumer> {
    this.assertOpen()
    const consumer: LocalConsumer = {
      queue,
      label,
      handler,
      maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
      backoff: resolveBackoff(options.backoff),
      prefetch: options.prefetch ?? defaultPrefetch,
      inFlight: new Set(),
      cancelled: false,
    }
    const list = this.consumers.get(queue) ?? []
    list.push(consumer)
    this.consumers.set(queue, list)
    this.pump(queue)
    return {
      cancel: async () => {
        consumer.cancelled = true
        this.consumers.set(
          queue,
          (this.consumers.get(queue) ?? []).filter((c) => c !== consumer),
        )
        await Promise.all(consumer.inFlight)
      },
    }
  }

  async publishEvent<T>(exchange: string, topic: string, event: T): Promise<void> {
    this.assertOpen()
    this.route(exchange, topic, event)
  }

  async publishEvents<T>(
    exchange: string,
    events: ReadonlyArray<{ topic: string; event: T }>,
  ): Promise<void> {
    this.assertOpen()
    for (const { topic, event } of events) this.route(exchange, topic, event)
  }

  async declareEventQueue(exchange: string, pattern: string, queue: string): Promise<void> {
    this.assertOpen()
    this.bind(exchange, pattern, queue)
  }

  private route<T>(exchange: string, topic: string, event: T): void {
    const body = JSON.stringify(event)
    this.metrics.publish(exchange)
    const targets = new Set<string>()
    for (const binding of this.bindings.get(exchange) ?? []) {
      if (topicMatches(binding.pattern, topic)) targets.add(binding.queue)
    }
    for (const queue of targets) this.enqueue(queue, { messageId: randomUUID(), body, attempt: 1 })
  }

  private bind(exchange: string, pattern: string, queue: string): void {
    const list = this.bindings.get(exchange) ?? []
    if (!list.some((b) => b.queue === queue && b.pattern === pattern)) list.push({ pattern, queue })
    this.bindings.set(exchange, list)
  }

  async subscribeEvents<T>(
    exchange: string,
    pattern: string,
    handler: JobHandler<T>,
    options: EventSubscribeOptions = {},
  ): Promise<Consumer> {
    const queue = options.queue ?? `${exchange}.sub.${randomUUID()}`
    this.bind(exchange, pattern, queue)
    const label = options.queue ?? `${exchange}.temporary`
    const consumer = await this.addConsumer(queue, label, handler, options)
    if (options.queue) return consumer
    // A temporary queue lives as long as its only subscriber.
    return {
      cancel: async () => {
        await consumer.cancel()
        this.bindings.set(
          exchange,
          (this.bindings.get(exchange) ?? []).filter((b) => b.queue !== queue),
        )
        this.queues.delete(queue)
      },
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const timer of this.retryTimers) clearTimeout(timer)
    this.retryTimers.clear()
    const all = [...this.consumers.values()].flat()
    for (const consumer of all) consumer.cancelled = true
    await Promise.all(all.flatMap((c) => [...c.inFlight]))
    this.consumers.clear()
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('queue is closed')
  }

  private enqueue(queue: string, envelope: Envelope): void {
    const list = this.queues.get(queue) ?? []
    list.push(envelope)
    this.queues.set(queue, list)
    this.pump(queue)
  }

  /** Hands waiting messages to consumers with free capacity, round-robin like a broker. */
  private pump(queue: string): void {
    const messages = this.queues.get(queue)
    const consumers = this.consumers.get(queue)
    if (!messages || !consumers) return
    while (messages.length > 0) {
      const free = consumers
        .filter((c) => !c.cancelled && c.inFlight.size < c.prefetch)
        .sort((a, b) => a.inFlight.size - b.inFlight.size)[0]
      if (!free) return
      const envelope = messages.shift()!
      const run = this.deliver(free, envelope).finally(() => {
        free.inFlight.delete(run)
        this.pump(queue)
      })
      free.inFlight.add(run)
    }
  }

  private async deliver(consumer: LocalConsumer, envelope: Envelope): Promise<void> {
    // Yield first so delivery is asynchronous, as with a broker.
    await new Promise<void>((resolve) => setImmediate(resolve))
    const startedAt = performance.now()
    try {
      await consumer.handler(JSON.parse(envelope.body), {
        queue: consumer.queue,
        messageId: envelope.messageId,
        attempt: envelope.attempt,
        idempotencyKey: envelope.idempotencyKey,
      })
      this.metrics.handled(consumer.label, 'acked', startedAt)
    } catch (error) {
      this.fail(consumer, envelope, error, startedAt)
    }
  }

  private fail(consumer: LocalConsumer, envelope: Envelope, error: unknown, startedAt: number): void {
    if (this.closed) return
    if (envelope.attempt >= consumer.maxAttempts) {
      this.metrics.handled(consumer.label, 'dead_lettered', startedAt)
      const dead: DeadLetter = {
        payload: JSON.parse(envelope.body),
        queue: consumer.queue,
        messageId: envelope.messageId,
        attempts: envelope.attempt,
        error: error instanceof Error ? error.message : String(error),
      }
      this.enqueue(deadLetterQueueName(consumer.queue), {
        messageId: randomUUID(),
        body: JSON.stringify(dead),
        attempt: 1,
      })
      return
    }
    this.metrics.handled(consumer.label, 'retried', startedAt)
    const timer = setTimeout(
      () => {
        this.retryTimers.delete(timer)
        this.enqueue(consumer.queue, { ...envelope, attempt: envelope.attempt + 1 })
      },
      backoffDelay(envelope.attempt, consumer.backoff),
    )
    this.retryTimers.add(timer)
  }
}
