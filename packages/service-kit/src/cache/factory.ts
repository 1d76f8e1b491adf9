import type { Redis } from 'ioredis'
import { MemoryCache } from './memory.js'
import { RedisCache } from './redis.js'
import { connectRedis } from './redis-connection.js'
import type { Cache } from './types.js'

export interface CacheOptions {
  /** Redis URL (config REDIS_URL). Absent = the in-memory driver. */
  redisUrl?: string | undefined
  /** An existing client to share instead of opening one from `redisUrl`. */
  redis?: Redis | undefined
  keyPrefix?: string | undefined
}

/** Picks the driver from config: Redis when a URL or client is given, otherwise in-memory. */
export function createCache(options: CacheOptions = {}): Cache {
  if (options.redis) return new RedisCache({ redis: options.redis, keyPrefix: options.keyPrefix ?? '' })
  if (options.redisUrl) {
    return new RedisCache({
      redis: connectRedis(options.redisUrl),
      keyPrefix: options.keyPrefix ?? '',
      ownsClient: true,
    })
  }
  return new MemoryCache()
}
