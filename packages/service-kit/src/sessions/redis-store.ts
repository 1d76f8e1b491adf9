import type { Redis } from 'ioredis'
import type { SessionStore } from './store.js'

export interface RedisSessionStoreOptions {
  redis: Redis
  keyPrefix?: string
  ownsClient?: boolean
  /** How long a user's index outlives its last write; at least the absolute session TTL. */
  indexTtlMs?: number
}

/**
 * Production driver. Session values and tombstones expire natively (PX); a user's sessions are
 * a sorted set scored by creation time, pruned of expired members on read. Every key under
 * one prefix so several services share a Redis.
 */
export class RedisSessionStore implements SessionStore {
  private readonly redis: Redis
  private readonly prefix: string
  private readonly indexTtlMs: number

  constructor(private readonly options: RedisSessionStoreOptions) {
    this.redis = options.redis
    this.prefix = options.keyPrefix ?? 'session:'
    this.indexTtlMs = options.indexTtlMs ?? 30 * 24 * 3_600_000
  }

  private sessionKey = (id: string) => `${this.prefix}s:${id}`
  private tombKey = (id: string) => `${this.prefix}t:${id}`
  private indexKey = (userKey: string) => `${this.prefix}u:${userKey}`

  async save(id: string, userKey: string, createdAt: number, envelope: string, ttlMs: number): Promise<void> {
    await this.redis
      .multi()
      .set(this.sessionKey(id), envelope, 'PX', Math.max(1, Math.round(ttlMs)))
      .zadd(this.indexKey(userKey), createdAt, id)
      .pexpire(this.indexKey(userKey), this.indexTtlMs)
      .exec()
  }

  async load(id: string): Promise<string | undefined> {
    return (await this.redis.get(this.sessionKey(id))) ?? undefined
  }

  async remove(id: string, userKey: string): Promise<void> {
    await this.redis.multi().del(this.sessionKey(id)).zrem(this.indexKey(userKey), id).exec()
  }

  async userSessions(userKey: string): Promise<string[]> {
    const ids = await this.redis.zrange(this.indexKey(userKey), 0, -1)
    if (ids.length === 0) return []
    const pipeline = this.redis.pipeline()
    for (const id of ids) pipeline.exists(this.sessionKey(id))
    const exists = (await pipeline.exec()) ?? []
    const stale = ids.filter((_, i) => exists[i]?.[1] === 0)
    if (stale.length > 0) await this.redis.zrem(this.indexKey(userKey), ...stale)
    return ids.filter((_, i) => exists[i]?.[1] === 1)
  }

  async setTombstone(id: string, envelope: string, ttlMs: number): Promise<boolean> {
    const reply = await this.redis.set(this.tombKey(id), envelope, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')
    return reply === 'OK'
  }

  async loadTombstone(id: string): Promise<string | undefined> {
    return (await this.redis.get(this.tombKey(id))) ?? undefined
  }

  async remember(
    setKey: string,
    member: string,
    ttlMs: number,
  ): Promise<{ added: boolean; sizeBefore: number }> {
    const key = `${this.prefix}m:${setKey}`
    const replies = (await this.redis.multi().scard(key).sadd(key, member).pexpire(key, ttlMs).exec()) ?? []
    return { sizeBefore: Number(replies[0]?.[1] ?? 0), added: Number(replies[1]?.[1] ?? 0) === 1 }
  }

  async countInWindow(counterKey: string, windowMs: number): Promise<number> {
    const key = `${this.prefix}c:${counterKey}`
    // NX: the window starts at the first event and is not extended by later ones.
    const replies = (await this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec()) ?? []
    return Number(replies[0]?.[1] ?? 0)
  }

  /** Redis expires values itself; stale index members are pruned lazily by `userSessions`. */
  async cleanup(): Promise<void> {}

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.redis.quit()
  }
}
