import { describe, expect, it } from 'vitest'
import { AmqpJobQueue } from '../queue/amqp.js'
import { createQueue } from '../queue/factory.js'
import { MemoryJobQueue } from '../queue/memory.js'
import { createRateLimitStore } from '../ratelimit/factory.js'
import { MemoryRateLimitStore } from '../ratelimit/memory.js'
import { RedisRateLimitStore } from '../ratelimit/redis.js'
import { createSessionStore } from '../sessions/factory.js'
import { MemorySessionStore } from '../sessions/memory-store.js'
import { RedisSessionStore } from '../sessions/redis-store.js'
import { createCache } from './factory.js'
import { MemoryCache } from './memory.js'
import { RedisCache } from './redis.js'
import { amqpUrl, redisUrl } from './test-support.js'

// The factories are the only place a driver is chosen: no URL means embedded, a URL means production.
describe('driver factories', () => {
  it('choose the embedded drivers without service URLs', async () => {
    const cache = createCache({})
    const store = createRateLimitStore({})
    const sessions = createSessionStore({})
    const queue = await createQueue({})
    expect(cache).toBeInstanceOf(MemoryCache)
    expect(store).toBeInstanceOf(MemoryRateLimitStore)
    expect(sessions).toBeInstanceOf(MemorySessionStore)
    expect(queue).toBeInstanceOf(MemoryJobQueue)
    await Promise.all([cache.close(), store.close(), sessions.close(), queue.close()])
  })

  it.runIf(redisUrl)('choose the Redis drivers when REDIS_URL is given', async () => {
    const cache = createCache({ redisUrl, keyPrefix: 'factory-test:' })
    const store = createRateLimitStore({ redisUrl })
    const sessions = createSessionStore({ redisUrl })
    expect(cache).toBeInstanceOf(RedisCache)
    expect(store).toBeInstanceOf(RedisRateLimitStore)
    expect(sessions).toBeInstanceOf(RedisSessionStore)
    await cache.set('probe', 1, { ttlMs: 1_000 })
    expect(await cache.get('probe')).toBe(1)
    await Promise.all([cache.close(), store.close(), sessions.close()])
  })

  it.runIf(amqpUrl)(
    'choose RabbitMQ when AMQP_URL is given, sharing idempotency keys through the cache',
    async () => {
      const cache = new MemoryCache()
      const a = await createQueue({ amqpUrl, cache })
      const b = await createQueue({ amqpUrl, cache })
      expect(a).toBeInstanceOf(AmqpJobQueue)
      const queue = `test.factory.${Date.now()}.${Math.random().toString(36).slice(2)}`
      expect(await a.publish(queue, 1, { idempotencyKey: 'same' })).toBe(true)
      expect(await b.publish(queue, 1, { idempotencyKey: 'same' })).toBe(false)
      await a.close()
      await b.close()
      await cache.close()
      // Leave no queue behind on the shared broker.
      const amqp = await import('amqplib')
      const connection = await amqp.connect(amqpUrl!)
      const channel = await connection.createChannel()
      await channel.deleteQueue(queue)
      await channel.deleteQueue(`${queue}.dlq`)
      await connection.close()
    },
  )
})
