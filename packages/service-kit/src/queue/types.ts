/** What a handler learns about the delivery besides the payload. */
export interface JobContext {
  queue: string
  messageId: string
  /** 1 on the first delivery, incremented on each retry. */
  attempt: number
  idempotencyKey?: string | undefined
}

/** Resolve = ack. Throw = retry after backoff, or dead-letter once `maxAttempts` is reached. */
export type JobHandler<T = unknown> = (payload: T, context: JobContext) => Promise<void> | void

export interface PublishOptions {
  /** Duplicates of a key published within the idempotency TTL are dropped. */
  idempotencyKey?: string
}

export interface BackoffOptions {
  baseMs: number
  factor: number
  maxMs: number
}

export interface ConsumeOptions {
  /** Deliveries before a message goes to the dead-letter queue (default 5). */
  maxAttempts?: number
  backoff?: Partial<BackoffOptions>
  /** Messages handled concurrently by this consumer (default 10). */
  prefetch?: number
}

export interface EventSubscribeOptions extends ConsumeOptions {
  /**
   * A named, durable queue makes consumers sharing the name compete (a worker group) and keeps
   * events while they are down; without a name each subscriber gets its own temporary queue.
   */
  queue?: string
}

export interface Consumer {
  /** Stops new deliveries and waits for in-flight handlers. */
  cancel(): Promise<void>
}

/** A message that exhausted its attempts, as stored in `<queue>.dlq`. */
export interface DeadLetter<T = unknown> {
  payload: T
  queue: string
  messageId: string
  attempts: number
  error: string
}

export interface JobQueue {
  /** Returns false when the idempotency key was seen before (the message is dropped). */
  publish<T>(queue: string, payload: T, options?: PublishOptions): Promise<boolean>
  consume<T>(queue: string, handler: JobHandler<T>, options?: ConsumeOptions): Promise<Consumer>
  /** Fan-out to every subscriber whose pattern matches `topic` (AMQP topic rules: `*` one word, `#` any). */
  publishEvent<T>(exchange: string, topic: string, event: T): Promise<void>
  /**
   * Publishes `events` in order and resolves once the broker took them all: the confirms are
   * awaited together, not one round trip per event.
   */
  publishEvents<T>(exchange: string, events: ReadonlyArray<{ topic: string; event: T }>): Promise<void>
  /**
   * Declares a named durable subscriber queue and binds it (as `subscribeEvents` with `queue`
   * does), without consuming: events published from now on wait in it for a consumer that has
   * not started yet, where they would otherwise be dropped (no queue bound).
   */
  declareEventQueue(exchange: string, pattern: string, queue: string): Promise<void>
  subscribeEvents<T>(
    exchange: string,
    pattern: string,
    handler: JobHandler<T>,
    options?: EventSubscribeOptions,
  ): Promise<Consumer>
  /** Graceful: cancels consumers, waits for in-flight handlers and pending publishes, then disconnects. */
  close(): Promise<void>
}
