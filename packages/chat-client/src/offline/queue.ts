import { type BackoffOptions, backoffDelay } from '../http/backoff.js'
import { ChatError, isChatError } from '../http/errors.js'
import type { PendingMessage } from '../store/events.js'
import type { Message, SendMessageInput } from '../types.js'
import type { PendingStorage } from './storage.js'

export interface OfflineQueueOptions {
  storage: PendingStorage
  /** Separates accounts sharing one storage: `${appId}:${userId}`. */
  scope: string
  userId: string
  /** Sends one message (the API call; the body carries the message's clientMessageId). */
  send(channelId: string, body: SendMessageInput): Promise<Message>
  /** False while the client knows it is offline: sends then wait instead of failing. */
  canSend(): boolean
  onChange(pending: readonly PendingMessage[]): void
  onSent(message: Message): void
  backoff?: BackoffOptions
  random?: () => number
  newId?: () => string
  now?: () => number
}

interface Waiter {
  resolve(message: Message): void
  reject(error: unknown): void
}

/**
 * Outgoing messages, in order. Each gets a `clientMessageId` when it is queued and keeps it for
 * every attempt, so the server stores it once however often it is sent (a repeat answers with the
 * first message). A send that fails without an answer, or with a transient one (429, 5xx), stays
 * `pending` and goes again later (jittered backoff, and at once when the connection is back); one
 * the server refuses for good (4xx) becomes `failed` until `retry` or `discard`. Sends leave one at
 * a time, oldest first, so they arrive in the order they were written.
 */
export class OfflineQueue {
  private items: PendingMessage[] = []
  private readonly waiters = new Map<string, Waiter>()
  private flushing: Promise<void> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private failures = 0
  private closed = false

  constructor(private readonly options: OfflineQueueOptions) {}

  get pending(): readonly PendingMessage[] {
    return this.items
  }

  /** Loads what an earlier session left unsent; `flush` then sends it. */
  async restore(): Promise<void> {
    const stored = await this.options.storage.load(this.options.scope)
    const known = new Set(this.items.map((p) => p.clientMessageId))
    this.items = [...stored.filter((p) => !known.has(p.clientMessageId)), ...this.items]
    this.changed()
  }

  /** Queues a message and resolves with it once the server has it (rejects if refused for good). */
  async enqueue(channelId: string, input: SendMessageInput): Promise<Message> {
    const clientMessageId = input.clientMessageId ?? this.options.newId?.() ?? globalThis.crypto.randomUUID()
    const item: PendingMessage = {
      clientMessageId,
      channelId,
      parentId: input.parentId ?? null,
      userId: this.options.userId,
      text: input.text ?? '',
      body: { ...input, clientMessageId },
      createdAt: new Date(this.now()).toISOString(),
      status: 'pending',
      attempts: 0,
    }
    const sent = new Promise<Message>((resolve, reject) =>
      this.waiters.set(clientMessageId, { resolve, reject }),
    )
    this.items = [...this.items, item]
    this.changed()
    await this.options.storage.put(this.options.scope, item)
    void this.flush()
    return sent
  }

  /** Sends a failed message again, with the same clientMessageId. */
  retry(clientMessageId: string): void {
    const item = this.items.find((p) => p.clientMessageId === clientMessageId)
    if (item?.status !== 'failed') return
    const { error: _error, ...rest } = item
    this.replace({ ...rest, status: 'pending' })
    void this.flush()
  }

  /** Drops a message the user gave up on (failed or still waiting). */
  async discard(clientMessageId: string): Promise<void> {
    this.items = this.items.filter((p) => p.clientMessageId !== clientMessageId)
    this.changed()
    await this.options.storage.delete(this.options.scope, clientMessageId)
    // the user gave up on it: a `discarded` ChatError, which a UI need not report back to them
    this.waiters
      .get(clientMessageId)
      ?.reject(new ChatError({ status: 0, code: 'discarded', message: 'the send was discarded' }))
    this.waiters.delete(clientMessageId)
  }

  /** Sends every pending message in order; concurrent calls share one run. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.flushing ??= this.run().finally(() => {
      this.flushing = undefined
    })
    return this.flushing
  }

  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
  }

  private async run(): Promise<void> {
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    for (;;) {
      if (this.closed || !this.options.canSend()) return
      const item = this.items.find((p) => p.status === 'pending')
      if (!item) return
      const attempt = { ...item, attempts: item.attempts + 1 }
      this.replace(attempt)
      try {
        const message = await this.options.send(item.channelId, item.body)
        this.failures = 0
        this.options.onSent(message)
        this.items = this.items.filter((p) => p.clientMessageId !== item.clientMessageId)
        this.changed()
        await this.options.storage.delete(this.options.scope, item.clientMessageId)
        this.settle(item.clientMessageId, (w) => w.resolve(message))
      } catch (error) {
        if (!isChatError(error) || error.transient) {
          // no answer or a passing one: keep the order, wait, then try this one again
          await this.options.storage.put(this.options.scope, attempt)
          this.scheduleRetry()
          return
        }
        const failed: PendingMessage = {
          ...attempt,
          status: 'failed',
          error: { code: error.code, message: error.message, status: error.status },
        }
        this.replace(failed)
        await this.options.storage.put(this.options.scope, failed)
        this.settle(item.clientMessageId, (w) => w.reject(error))
      }
    }
  }

  private scheduleRetry(): void {
    if (this.closed) return
    const delay = backoffDelay(
      this.failures++,
      this.options.backoff ?? { baseMs: 1_000, maxMs: 30_000 },
      this.options.random,
    )
    this.retryTimer = setTimeout(() => void this.flush(), delay)
  }

  private settle(clientMessageId: string, action: (waiter: Waiter) => void): void {
    const waiter = this.waiters.get(clientMessageId)
    if (!waiter) return
    this.waiters.delete(clientMessageId)
    action(waiter)
  }

  private replace(item: PendingMessage): void {
    this.items = this.items.map((p) => (p.clientMessageId === item.clientMessageId ? item : p))
    this.changed()
  }

  private changed(): void {
    this.options.onChange(this.items)
  }

  private now(): number {
    return this.options.now?.() ?? Date.now()
  }
}
