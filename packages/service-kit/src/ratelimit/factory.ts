import type { Redis } from 'ioredis'
import { connectRedis } from '../cache/redis-connection.js'
import { MemoryRateLimitStore } from './memory.js'
import { RedisRateLimitStore } from './redis.js'
import type { RateLimitStore } from './types.js'

export interface RateLimitStoreOptions {
  /** Redis URL (config REDIS_URL). Absent = the in-memory store (limits per process). */
  redisUrl?: string | undefined
  redis?: Redis | undefined
  keyPrefix?: string | undefined
}

export function createRateLimitStore(options: RateLimitStoreOptions = {}): RateLimitStore {
  const keyPrefix = options.keyPrefix ?? 'ratelimit:'
  if (options.redis) return new RedisRateLimitStore({ redis: options.redis, keyPrefix })
  if (options.redisUrl) {
    return new RedisRateLimitStore({ redis: connectRedis(options.redisUrl), keyPrefix, ownsClient: true })
  }
  return new MemoryRateLimitStore()
}
