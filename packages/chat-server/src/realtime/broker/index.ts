/** Picks the broker driver from config: Redis when a URL is given, memory otherwise. */
import { MemoryBroker } from './memory.js'
import { RedisBroker } from './redis.js'
import type { Broker, HistoryOptions } from './types.js'

export interface BrokerConfig {
  redisUrl?: string
  prefix?: string
  history?: Partial<HistoryOptions>
}

export function createBroker(config: BrokerConfig): Broker {
  if (config.redisUrl)
    return new RedisBroker({ url: config.redisUrl, prefix: config.prefix, history: config.history })
  return new MemoryBroker({ history: config.history })
}
