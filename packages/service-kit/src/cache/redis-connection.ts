import { Redis } from 'ioredis'

/**
 * Opens an ioredis client for the kit's Redis drivers. `maxRetriesPerRequest: null` would hang
 * callers forever while Redis is down; a small bound makes failures surface as errors instead.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true })
}
