import type { Cache, MessageHandler, SetOptions } from './types.js'

interface Entry {
  /** JSON text: storing text rather than the object keeps copy semantics equal to Redis. */
  json: string
  expiresAt: number | null
}

/** Embedded driver: one process, no persistence. Expired keys vanish on read and on a periodic sweep. */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>()
  private readonly channels = new Map<string, Set<MessageHandler>>()
  private readonly sweeper: NodeJS.Timeout

  constructor(sweepIntervalMs = 30_000) {
    // unref: the sweeper must never keep a process alive on its own.
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs).unref()
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  private sweep(): void {
    const now = Date.now()
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.entries.delete(key)
    }
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.live(key)
    return entry ? (JSON.parse(entry.json) as T) : undefined
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<boolean> {
    if (options.ifAbsent && this.live(key)) return false
    const expiresAt = options.ttlMs === undefined ? null : Date.now() + options.ttlMs
    this.entries.set(key, { json: JSON.stringify(value), expiresAt })
    return true
  }

  async del(key: string): Promise<boolean> {
    const existed = this.live(key) !== undefined
    this.entries.delete(key)
    return existed
  }

  async incr(key: string, by = 1): Promise<number> {
    const entry = this.live(key)
    const current = entry ? JSON.parse(entry.json) : 0
    if (!Number.isInteger(current)) throw new Error(`cache key ${key} does not hold an integer`)
    const next = current + by
    // Like Redis INCRBY, keep an existing TTL.
    this.entries.set(key, { json: JSON.stringify(next), expiresAt: entry?.expiresAt ?? null })
    return next
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key)
    if (!entry) return false
    entry.expiresAt = Date.now() + ttlMs
    return true
  }

  async ttl(key: string): Promise<number | null | undefined> {
    const entry = this.live(key)
    if (!entry) return undefined
    return entry.expiresAt === null ? null : Math.max(0, entry.expiresAt - Date.now())
  }

  async publish(channel: string, message: unknown): Promise<void> {
    const handlers = this.channels.get(channel)
    if (!handlers) return
    const json = JSON.stringify(message)
    // Deliver asynchronously and decoded per handler, as a network broker would.
    for (const handler of [...handlers]) setImmediate(() => handler(JSON.parse(json), channel))
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    let handlers = this.channels.get(channel)
    if (!handlers) {
      handlers = new Set()
      this.channels.set(channel, handlers)
    }
    handlers.add(handler)
  }

  async unsubscribe(channel: string, handler?: MessageHandler): Promise<void> {
    const handlers = this.channels.get(channel)
    if (!handlers) return
    if (handler) handlers.delete(handler)
    if (!handler || handlers.size === 0) this.channels.delete(channel)
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    this.entries.clear()
    this.channels.clear()
  }
}
