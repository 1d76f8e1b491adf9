import { randomUUID } from 'node:crypto'
import { connectRedis } from '@platform/service-kit/cache'
import { RedisRateLimitStore } from '@platform/service-kit/ratelimit'
import type { Redis } from 'ioredis'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { BatchedRedisRateLimitStore, type ScriptRunner } from './batched-rate-limits.js'

const hourly = { limit: 3, windowMs: 3_600_000 }
const answer = (allowed: number, remaining: number) => [allowed, remaining, 0, 1000]

/** A Redis stand-in that records script calls and answers "allowed" for every bucket. */
function fakeRedis(evalsha: (...args: unknown[]) => Promise<unknown>) {
  const redis = {
    evalsha: vi.fn(evalsha),
    eval: vi.fn(async (_script: string, count: number) =>
      Array.from({ length: count }, () => answer(1, 2)).flat(),
    ),
    quit: vi.fn(async () => 'OK'),
  }
  return redis as typeof redis & ScriptRunner
}

describe('batched rate-limit store (no Redis needed)', () => {
  it("takes a request's buckets in one script call, each with its own answer", async () => {
    const redis = fakeRedis(async () => [...answer(1, 5), ...answer(0, 0)])
    const store = new BatchedRedisRateLimitStore(redis, 'p:')
    const [user, send] = await Promise.all([
      store.consume('user:a:u1', { limit: 6, windowMs: 60_000 }),
      store.consume('send:a:u1', { limit: 2, windowMs: 60_000, cost: 1 }),
    ])
    expect(redis.evalsha).toHaveBeenCalledOnce()
    expect(redis.evalsha.mock.calls[0]!.slice(1)).toEqual([
      2,
      'p:user:a:u1',
      'p:send:a:u1',
      6,
      60_000,
      1,
      2,
      60_000,
      1,
    ])
    expect(user).toEqual({ allowed: true, remaining: 5, retryAfterMs: 0, resetMs: 1000 })
    expect(send).toMatchObject({ allowed: false, remaining: 0 })
  })

  it('calls made in different ticks get their own script calls', async () => {
    const redis = fakeRedis(async () => answer(1, 2))
    const store = new BatchedRedisRateLimitStore(redis)
    await store.consume('a', hourly)
    await store.consume('b', hourly)
    expect(redis.evalsha).toHaveBeenCalledTimes(2)
  })

  it('falls back to EVAL when Redis lost the script (restart, SCRIPT FLUSH)', async () => {
    const redis = fakeRedis(async () => {
      throw new Error('NOSCRIPT No matching script. Please use EVAL.')
    })
    const store = new BatchedRedisRateLimitStore(redis)
    const result = await store.consume('a', hourly)
    expect(redis.eval).toHaveBeenCalledOnce()
    expect(result).toMatchObject({ allowed: true, remaining: 2 })
  })

  it('a failed call fails every bucket of its batch (the limiter then fails open)', async () => {
    const redis = fakeRedis(async () => {
      throw new Error('connection lost')
    })
    const store = new BatchedRedisRateLimitStore(redis)
    const results = await Promise.allSettled([store.consume('a', hourly), store.consume('b', hourly)])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(redis.eval).not.toHaveBeenCalled()
  })

  it('closes the client only when it owns it', async () => {
    const shared = fakeRedis(async () => answer(1, 2))
    await new BatchedRedisRateLimitStore(shared).close()
    expect(shared.quit).not.toHaveBeenCalled()
    const owned = fakeRedis(async () => answer(1, 2))
    await new BatchedRedisRateLimitStore(owned, 'p:', true).close()
    expect(owned.quit).toHaveBeenCalledOnce()
  })
})

const redisUrl = process.env.REDIS_URL || undefined

/**
 * Against a real Redis, side by side with the kit's RedisRateLimitStore: same answers for the same
 * calls, and the same buckets (a bucket one store spent is spent for the other).
 */
describe.skipIf(!redisUrl)('batched rate-limit store on Redis, against the kit store', () => {
  const prefix = `test:batched-rl:${randomUUID().slice(0, 8)}:`
  let redis: Redis
  const stores = () => {
    redis ??= connectRedis(redisUrl!)
    return {
      batched: new BatchedRedisRateLimitStore(redis, prefix),
      kit: new RedisRateLimitStore({ redis, keyPrefix: prefix }),
    }
  }
  afterAll(async () => {
    if (!redis) return
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })

  it('answers like the kit store, call for call', async () => {
    const { batched, kit } = stores()
    const run = async (store: { consume: typeof kit.consume }, key: string) => {
      const out = []
      for (let i = 0; i < 4; i++) out.push(await store.consume(key, hourly))
      out.push(await store.consume(key, { ...hourly, cost: 5 }))
      return out.map((r) => ({ allowed: r.allowed, remaining: r.remaining, retrying: r.retryAfterMs > 0 }))
    }
    const ours = await run(batched, 'same-a')
    expect(ours.map((r) => r.allowed)).toEqual([true, true, true, false, false])
    expect(ours).toEqual(await run(kit, 'same-b'))
  })

  it('shares buckets with the kit store', async () => {
    const { batched, kit } = stores()
    await kit.consume('shared', hourly)
    await kit.consume('shared', hourly)
    expect(await batched.consume('shared', hourly)).toMatchObject({ allowed: true, remaining: 0 })
    expect((await kit.consume('shared', hourly)).allowed).toBe(false)
  })

  it('takes a key named twice in one batch twice, like two calls', async () => {
    const { batched } = stores()
    const both = await Promise.all([
      batched.consume('twice', { limit: 1, windowMs: 3_600_000 }),
      batched.consume('twice', { limit: 1, windowMs: 3_600_000 }),
    ])
    expect(both.map((r) => r.allowed)).toEqual([true, false])
  })

  it('never overspends a bucket under concurrent batches', async () => {
    // four stores on one client: four batches in flight at once, all on one bucket
    const fleet = Array.from({ length: 4 }, () => stores().batched)
    const results = await Promise.all(
      fleet.flatMap((store) =>
        Array.from({ length: 5 }, () => store.consume('race', { limit: 5, windowMs: 3_600_000 })),
      ),
    )
    expect(results.filter((r) => r.allowed)).toHaveLength(5)
  })
})
