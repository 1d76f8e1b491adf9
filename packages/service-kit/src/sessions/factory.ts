import type { Redis } from 'ioredis'
import { connectRedis } from '../cache/redis-connection.js'
import { MemorySessionStore } from './memory-store.js'
import { RedisSessionStore } from './redis-store.js'
import type { SessionStore } from './store.js'

export interface SessionStoreOptions {
  /** Redis URL (config REDIS_URL). Absent = in-memory (sessions die with the process). */
  redisUrl?: string | undefined
  redis?: Redis | undefined
  keyPrefix?: string | undefined
}

export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const keyPrefix = options.keyPrefix ?? 'session:'
  if (options.redis) return new RedisSessionStore({ redis: options.redis, keyPrefix })
  if (options.redisUrl) {
    return new RedisSessionStore({ redis: connectRedis(options.redisUrl), keyPrefix, ownsClient: true })
  }
  return new MemorySessionStore()
}
