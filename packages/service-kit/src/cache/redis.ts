import type { Redis } from 'ioredis'
import type { Cache, MessageHandler, SetOptions } from './types.js'

export interface RedisCacheOptions {
  redis: Redis
  /** Prepended to every key and channel, so services and test files share one Redis safely. */
  keyPrefix?: string
  /** Close the client on `close()`; true when the factory opened it. */
  ownsClient?: boolean
}

/** Production driver: a Redis connection for commands and a lazily opened one for subscriptions. */
export class RedisCache implements Cache {
  private readonly redis: Redis
  private readonly prefix: string
  private readonly ownsClient: boolean
  private subscriber: Redis | undefined
  private readonly channels = new Map<string, Set<MessageHandler>>()

  constructor(options: RedisCacheOptions) {
    this.redis = options.redis
    this.prefix = options.keyPrefix ?? ''
    this.ownsClient = options.ownsClient ?? false
  }

  private k(key: string): string {
    return this.prefix + key
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.k(key))
    return raw === null ? undefined : (JSON.parse(raw) as T)
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<boolean> {
    const args: (string | number)[] = [this.k(key), JSON.stringify(value)]
    if (options.ttlMs !== undefined) args.push('PX', Math.max(1, Math.round(options.ttlMs)))
    if (options.ifAbsent) args.push('NX')
    const reply = await this.redis.call('SET', ...args)
    return reply === 'OK'
  }

  async del(key: string): Promise<boolean> {
    return (await this.redis.del(this.k(key))) > 0
  }

  async incr(key: string, by = 1): Promise<number> {
    return this.redis.incrby(this.k(key), by)
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.pexpire(this.k(key), Math.max(1, Math.round(ttlMs)))) === 1
  }

  async ttl(key: string): Promise<number | null | undefined> {
    const ms = await this.redis.pttl(this.k(key))
    if (ms === -2) return undefined
    return ms === -1 ? null : ms
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.redis.publish(this.k(channel), JSON.stringify(message))
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      // A connection in subscribe mode cannot run other commands, hence a dedicated one.
      const subscriber = this.redis.duplicate()
      subscriber.on('message', (fullChannel: string, raw: string) => {
        const channel = fullChannel.slice(this.prefix.length)
        const handlers = this.channels.get(channel)
        if (!handlers) return
        for (const handler of [...handlers]) handler(JSON.parse(raw), channel)
      })
      this.subscriber = subscriber
    }
    return this.subscriber
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    let handlers = this.channels.get(channel)
    if (!handlers) {
      handlers = new Set()
      this.channels.set(channel, handlers)
    }
    handlers.add(handler)
    if (handlers.size === 1) await this.subscriberConnection().subscribe(this.k(channel))
  }

  async unsubscribe(channel: string, handler?: MessageHandler): Promise<void> {
    const handlers = this.channels.get(channel)
    if (!handlers) return
    if (handler) handlers.delete(handler)
    if (!handler || handlers.size === 0) {
      this.channels.delete(channel)
      await this.subscriber?.unsubscribe(this.k(channel))
    }
  }

  async close(): Promise<void> {
    this.channels.clear()
    await this.subscriber?.quit()
    if (this.ownsClient) await this.redis.quit()
  }
}
