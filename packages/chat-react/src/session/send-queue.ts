import { ChatApiError } from './http.js'
import type { StoredMessage } from './store.js'
import type { Message } from './wire.js'

export interface QueuedSend {
  channelId: string
  /** The request body, with the clientMessageId that makes a repeated send harmless. */
  input: { text: string; clientMessageId: string; [key: string]: unknown }
  /** The pending message shown meanwhile. */
  local: StoredMessage
}

interface SendQueueOptions {
  storage: Pick<Storage, 'getItem' | 'setItem'> | null | undefined
  key: string
  /** False while the device is offline: sends wait instead of failing into the void. */
  isOnline(): boolean
  send(item: QueuedSend): Promise<{ message: Message }>
  onSent(message: Message): void
  onFailed(local: StoredMessage, error: Error): void
  onChange(pending: number): void
}

/**
 * Messages waiting to reach the server, in the order they were written. They are sent one at a
 * time (so they arrive in order); a send that finds no network stays queued and the queue waits
 * for the next flush (reconnect, `online`); a send the server refuses leaves the queue as failed
 * (the person may retry or discard it). The queue is saved on every change, so a reload keeps it.
 */
export class SendQueue {
  private queue: QueuedSend[]
  private flushing: Promise<void> | null = null
  private readonly waiters = new Map<string, { resolve(): void; reject(error: Error): void }>()

  constructor(private readonly options: SendQueueOptions) {
    this.queue = this.load()
    queueMicrotask(() => options.onChange(this.queue.length))
  }

  items(): readonly QueuedSend[] {
    return this.queue
  }

  /** Queues a send and resolves once the server has the message. */
  add(item: QueuedSend): Promise<void> {
    this.queue.push(item)
    this.changed()
    const done = new Promise<void>((resolve, reject) =>
      this.waiters.set(item.input.clientMessageId, { resolve, reject }),
    )
    void this.flush()
    return done
  }

  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null
    })
    return this.flushing
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.options.isOnline()) {
      const item = this.queue[0]!
      try {
        const { message } = await this.options.send(item)
        this.queue.shift()
        this.changed()
        this.options.onSent(message)
        this.settle(item, null)
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error))
        // no answer (offline) or the server is struggling: keep it for the next flush
        if (
          failure instanceof ChatApiError &&
          (failure.network || failure.status >= 500 || failure.status === 429)
        )
          return
        this.queue.shift()
        this.changed()
        this.options.onFailed(item.local, failure)
        this.settle(item, failure)
      }
    }
  }

  private settle(item: QueuedSend, error: Error | null) {
    const waiter = this.waiters.get(item.input.clientMessageId)
    this.waiters.delete(item.input.clientMessageId)
    if (error) waiter?.reject(error)
    else waiter?.resolve()
  }

  private changed() {
    this.options.storage?.setItem(this.options.key, JSON.stringify(this.queue))
    this.options.onChange(this.queue.length)
  }

  private load(): QueuedSend[] {
    try {
      const saved = this.options.storage?.getItem(this.options.key)
      return saved ? (JSON.parse(saved) as QueuedSend[]) : []
    } catch {
      return []
    }
  }
}
