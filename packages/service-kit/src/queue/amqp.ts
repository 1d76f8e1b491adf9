import { randomUUID } from 'node:crypto'
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib'
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
  retryQueueName,
} from './naming.js'
import type {
  ConsumeOptions,
  Consumer,
  DeadLetter,
  EventSubscribeOptions,
  JobHandler,
  JobQueue,
  PublishOptions,
} from './types.js'

const ATTEMPT = 'x-attempt'
const IDEMPOTENCY = 'x-idempotency-key'
/** How long an idle retry queue outlives its longest-waiting message before RabbitMQ drops it. */
const RETRY_QUEUE_GRACE_MS = 60_000
const RECONNECT_MAX_DELAY_MS = 10_000

export interface AmqpJobQueueOptions {
  url: string
  /** Shared idempotency memory; pass one backed by Redis so all publishers see the same keys. */
  idempotency?: IdempotencyGuard
  /** Connection and channel errors; the queue reconnects by itself, this is for logging. */
  onError?: (error: Error) => void
  /** How long a publish waits for a reconnection in progress before failing (default 10 s). */
  reconnectWaitMs?: number
  registry?: Registry | undefined
}

/** A consumer as declared by the caller, so it can be started again on a new connection. */
interface Registration {
  queue: string
  handler: JobHandler<any>
  options: ConsumeOptions
  /** Event subscription: bind `queue` (or a fresh temporary queue) to an exchange. */
  binding?: { exchange: string; pattern: string; temporary: boolean }
  channel?: Channel
  consumerTag?: string
  inFlight: Set<Promise<void>>
  cancelled: boolean
}

/**
 * RabbitMQ driver. Retries use one TTL queue per backoff delay that dead-letters back into the
 * work queue (no plugin needed); exhausted messages go to `<queue>.dlq`. Publishes wait for
 * broker confirms, so a resolved publish is on disk for durable queues. A lost connection is
 * re-established with backoff and every consumer is started again; messages that were being
 * handled are redelivered by the broker (at-least-once), so handlers must be idempotent.
 */
export class AmqpJobQueue implements JobQueue {
  private readonly asserted = new Set<string>()
  private readonly registrations = new Set<Registration>()
  private readonly pending = new Set<Promise<unknown>>()
  private readonly metrics: QueueMetrics
  private reconnecting: Promise<void> | undefined
  private closed = false

  private constructor(
    private readonly options: AmqpJobQueueOptions,
    private connection: ChannelModel,
    private channel: ConfirmChannel,
    private readonly idempotency: IdempotencyGuard,
  ) {
    this.metrics = new QueueMetrics(options.registry)
    this.watch(connection, channel)
  }

  static async connect(options: AmqpJobQueueOptions): Promise<AmqpJobQueue> {
    const { connection, channel } = await AmqpJobQueue.open(options.url)
    return new AmqpJobQueue(
      options,
      connection,
      channel,
      options.idempotency ?? new IdempotencyGuard(new MemoryCache()),
    )
  }

  private static async open(url: string): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
    const connection = await amqp.connect(url)
    try {
      return { connection, channel: await connection.createConfirmChannel() }
    } catch (error) {
      await connection.close().catch(() => {})
      throw error
    }
  }

  async publish<T>(queue: string, payload: T, options: PublishOptions = {}): Promise<boolean> {
    this.assertOpen()
    const key = options.idempotencyKey
    if (key && !(await this.idempotency.claim(queue, key))) return false
    try {
      await this.connected()
      await this.assertWorkQueue(queue)
      await this.send('', queue, Buffer.from(JSON.stringify(payload)), {
        messageId: randomUUID(),
        headers: { [ATTEMPT]: 1, ...(key ? { [IDEMPOTENCY]: key } : {}) },
      })
      this.metrics.publish(queue)
      return true
    } catch (error) {
      if (key) await this.idempotency.release(queue, key)
      throw error
    }
  }

  async consume<T>(queue: string, handler: JobHandler<T>, options: ConsumeOptions = {}): Promise<Consumer> {
    return this.register({ queue, handler, options, inFlight: new Set(), cancelled: false })
  }

  async publishEvent<T>(exchange: string, topic: string, event: T): Promise<void> {
    this.assertOpen()
    await this.connected()
    await this.assertExchange(exchange)
    await this.send(exchange, topic, Buffer.from(JSON.stringify(event)), {
      messageId: randomUUID(),
      headers: { [ATTEMPT]: 1 },
    })
    this.metrics.publish(exchange)
  }

  async publishEvents<T>(
    exchange: string,
    events: ReadonlyArray<{ topic: string; event: T }>,
  ): Promise<void> {
    this.assertOpen()
    await this.connected()
    await this.assertExchange(exchange)
    // One channel keeps publish order; the confirms come back as a stream and are awaited together.
    const sent = events.map(({ topic, event }) =>
      this.send(exchange, topic, Buffer.from(JSON.stringify(event)), {
        messageId: randomUUID(),
        headers: { [ATTEMPT]: 1 },
      }),
    )
    await Promise.all(sent)
    for (let i = 0; i < events.length; i++) this.metrics.publish(exchange)
  }

  async declareEventQueue(exchange: string, pattern: string, queue: string): Promise<void> {
    this.assertOpen()
    await this.connected()
    await this.assertExchange(exchange)
    await this.assertWorkQueue(queue)
    await this.channel.bindQueue(queue, exchange, pattern)
  }

  async subscribeEvents<T>(
    exchange: string,
    pattern: string,
    handler: JobHandler<T>,
    options: EventSubscribeOptions = {},
  ): Promise<Consumer> {
    return this.register({
      queue: options.queue ?? '',
      handler,
      options,
      binding: { exchange, pattern, temporary: !options.queue },
      inFlight: new Set(),
      cancelled: false,
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([...this.registrations].map((r) => this.cancel(r)))
    await Promise.allSettled(this.pending)
    await this.channel.close().catch(() => {})
    await this.connection.close().catch(() => {})
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('queue is closed')
  }

  private async register(registration: Registration): Promise<Consumer> {
    this.assertOpen()
    await this.connected()
    await this.start(registration)
    this.registrations.add(registration)
    return { cancel: () => this.cancel(registration) }
  }

  private async cancel(registration: Registration): Promise<void> {
    registration.cancelled = true
    this.registrations.delete(registration)
    const { channel, consumerTag } = registration
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => {})
    await Promise.all(registration.inFlight)
    await channel?.close().catch(() => {})
  }

  /** Waits for a reconnection in progress, but not forever: a publish should fail, not hang. */
  private async connected(): Promise<void> {
    if (!this.reconnecting) return
    const waitMs = this.options.reconnectWaitMs ?? 10_000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('RabbitMQ is unreachable (reconnecting)')), waitMs)
    })
    try {
      await Promise.race([this.reconnecting, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  private watch(connection: ChannelModel, channel: ConfirmChannel): void {
    // Without 'error' listeners amqplib's errors would crash the process.
    connection.on('error', (error: Error) => this.options.onError?.(error))
    channel.on('error', (error: Error) => this.options.onError?.(error))
    connection.on('close', () => this.lost(connection))
    // A channel closed by a broker error leaves the connection up but publishing dead:
    // recycle the whole connection so one recovery path handles both.
    channel.on('close', () => {
      if (!this.closed && connection === this.connection) connection.close().catch(() => {})
    })
  }

  private lost(connection: ChannelModel): void {
    if (this.closed || connection !== this.connection || this.reconnecting) return
    this.options.onError?.(new Error('RabbitMQ connection lost; reconnecting'))
    this.reconnecting = this.reconnect().finally(() => {
      this.reconnecting = undefined
    })
  }

  private async reconnect(): Promise<void> {
    let delay = 100
    while (!this.closed) {
      let opened: { connection: ChannelModel; channel: ConfirmChannel } | undefined
      try {
        opened = await AmqpJobQueue.open(this.options.url)
        if (this.closed) {
          // close() ran while we were connecting: do not leave this connection open.
          await opened.connection.close().catch(() => {})
          return
        }
        this.connection = opened.connection
        this.channel = opened.channel
        this.asserted.clear()
        this.watch(opened.connection, opened.channel)
        for (const registration of this.registrations) await this.start(registration)
        return
      } catch (error) {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)))
        await opened?.connection.close().catch(() => {})
        await new Promise((resolve) => setTimeout(resolve, delay))
        delay = Math.min(delay * 2, RECONNECT_MAX_DELAY_MS)
      }
    }
  }

  private async assertWorkQueue(queue: string): Promise<void> {
    if (this.asserted.has(queue)) return
    await this.channel.assertQueue(queue, { durable: true })
    await this.channel.assertQueue(deadLetterQueueName(queue), { durable: true })
    this.asserted.add(queue)
  }

  private async assertExchange(exchange: string): Promise<void> {
    const mark = `exchange:${exchange}`
    if (this.asserted.has(mark)) return
    await this.channel.assertExchange(exchange, 'topic', { durable: true })
    this.asserted.add(mark)
  }

  /**
   * Declared on every retry (not cached): redeclaring resets `x-expires`, so the queue outlives
   * every message in it and disappears on its own once retries at this delay stop.
   */
  private async assertRetryQueue(queue: string, delayMs: number): Promise<string> {
    const name = retryQueueName(queue, delayMs)
    await this.channel.assertQueue(name, {
      durable: true,
      arguments: {
        'x-message-ttl': delayMs,
        'x-expires': delayMs + RETRY_QUEUE_GRACE_MS,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue,
      },
    })
    return name
  }

  private send(exchange: string, routingKey: string, body: Buffer, options: amqp.Options.Publish) {
    const done = new Promise<void>((resolve, reject) => {
      try {
        this.channel.publish(
          exchange,
          routingKey,
          body,
          { ...options, persistent: true, contentType: 'application/json' },
          (error) => (error ? reject(error) : resolve()),
        )
      } catch (error) {
        reject(error) // the channel closed under us
      }
    })
    this.pending.add(done)
    done.then(
      () => this.pending.delete(done),
      () => this.pending.delete(done),
    )
    return done
  }

  /** (Re)starts a consumer on the current connection, with its own channel for its prefetch. */
  private async start(registration: Registration): Promise<void> {
    const channel = await this.connection.createChannel()
    channel.on('error', (error: Error) => this.options.onError?.(error))
    await channel.prefetch(registration.options.prefetch ?? defaultPrefetch)
    const { binding } = registration
    if (binding) {
      await this.assertExchange(binding.exchange)
      if (binding.temporary) {
        // Exclusive + auto-delete: RabbitMQ removes it with its connection or consumer.
        registration.queue = `${binding.exchange}.sub.${randomUUID()}`
        await channel.assertQueue(registration.queue, { exclusive: true, autoDelete: true, durable: false })
      } else {
        await this.assertWorkQueue(registration.queue)
      }
      await channel.bindQueue(registration.queue, binding.exchange, binding.pattern)
    } else {
      await this.assertWorkQueue(registration.queue)
    }
    const { consumerTag } = await channel.consume(registration.queue, (message) => {
      if (!message) return // the broker cancelled the consumer (queue deleted)
      const run = this.handle(registration, channel, message).finally(() => registration.inFlight.delete(run))
      registration.inFlight.add(run)
    })
    registration.channel = channel
    registration.consumerTag = consumerTag
  }

  private async handle(registration: Registration, channel: Channel, message: ConsumeMessage): Promise<void> {
    const headers = message.properties.headers ?? {}
    const startedAt = performance.now()
    try {
      await registration.handler(JSON.parse(message.content.toString('utf8')), {
        queue: registration.queue,
        messageId: String(message.properties.messageId ?? ''),
        attempt: Number(headers[ATTEMPT] ?? 1),
        idempotencyKey: headers[IDEMPOTENCY] as string | undefined,
      })
      settle(() => channel.ack(message))
      this.metrics.handled(metricLabel(registration), 'acked', startedAt)
    } catch (error) {
      const outcome = await this.retryOrBury(registration, channel, message, error)
      if (outcome) this.metrics.handled(metricLabel(registration), outcome, startedAt)
    }
  }

  private async retryOrBury(
    registration: Registration,
    channel: Channel,
    message: ConsumeMessage,
    error: unknown,
  ): Promise<'retried' | 'dead_lettered' | undefined> {
    const { queue, options } = registration
    const headers = message.properties.headers ?? {}
    const attempt = Number(headers[ATTEMPT] ?? 1)
    try {
      if (attempt >= (options.maxAttempts ?? defaultMaxAttempts)) {
        // Temporary event queues keep no dead letters: nobody would ever read them.
        if (!registration.binding?.temporary) {
          const dead: DeadLetter = {
            payload: safeParse(message.content),
            queue,
            messageId: String(message.properties.messageId ?? ''),
            attempts: attempt,
            error: error instanceof Error ? error.message : String(error),
          }
          await this.send('', deadLetterQueueName(queue), Buffer.from(JSON.stringify(dead)), {
            messageId: randomUUID(),
          })
        }
        settle(() => channel.ack(message))
        return 'dead_lettered'
      }
      const delay = backoffDelay(attempt, resolveBackoff(options.backoff))
      await this.send('', await this.assertRetryQueue(queue, delay), message.content, {
        messageId: message.properties.messageId,
        headers: { ...headers, [ATTEMPT]: attempt + 1 },
      })
      settle(() => channel.ack(message))
      return 'retried'
    } catch {
      // Could not park the message: give it back to the broker rather than lose it.
      settle(() => channel.nack(message, false, true))
      return undefined
    }
  }
}

/** Temporary subscriber queues have random names: report them by exchange to bound the labels. */
function metricLabel(registration: Registration): string {
  return registration.binding?.temporary ? `${registration.binding.exchange}.temporary` : registration.queue
}

/** Acks on a channel that died meanwhile throw; the broker redelivers those messages anyway. */
function settle(action: () => void): void {
  try {
    action()
  } catch {}
}

function safeParse(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8'))
  } catch {
    return content.toString('base64')
  }
}
