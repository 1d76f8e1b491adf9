import { describe, expect, it, vi } from 'vitest'
import { RedisRateLimitStore, type RedisRateLimitStoreOptions } from './redis.js'

const hourly = { limit: 3, windowMs: 3_600_000 }
const answer = (allowed: number, remaining: number) => [allowed, remaining, 0, 1000]

/** A stand-in for ioredis that records script calls; the contract test runs the real Redis. */
function standIn(evalsha: (...args: unknown[]) => Promise<unknown>) {
  const redis = {
    evalsha: vi.fn(evalsha),
    eval: vi.fn(async (_script: string, count: number) =>
      Array.from({ length: count }, () => answer(1, 2)).flat(),
    ),
    quit: vi.fn(async () => 'OK' as const),
  }
  return redis as typeof redis & RedisRateLimitStoreOptions['redis']
}

describe('RedisRateLimitStore batching', () => {
  it('takes the buckets asked for in one tick in one script call, each with its own answer', async () => {
    const redis = standIn(async () => [...answer(1, 5), ...answer(0, 0)])
    const store = new RedisRateLimitStore({ redis, keyPrefix: 'p:' })
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

  it('gives calls made in different ticks their own script calls', async () => {
    const redis = standIn(async () => answer(1, 2))
    const store = new RedisRateLimitStore({ redis })
    await store.consume('a', hourly)
    await store.consume('b', hourly)
    expect(redis.evalsha).toHaveBeenCalledTimes(2)
  })

  it('splits a large tick into calls of at most 64 buckets', async () => {
    const redis = standIn(async (_sha, count) =>
      Array.from({ length: count as number }, () => answer(1, 1)).flat(),
    )
    const store = new RedisRateLimitStore({ redis })
    const results = await Promise.all(Array.from({ length: 130 }, (_, i) => store.consume(`k${i}`, hourly)))
    expect(results.every((result) => result.allowed)).toBe(true)
    expect(redis.evalsha.mock.calls.map((call) => call[1])).toEqual([64, 64, 2])
  })

  it('falls back to EVAL when Redis lost the script (restart, SCRIPT FLUSH)', async () => {
    const redis = standIn(async () => {
      throw new Error('NOSCRIPT No matching script. Please use EVAL.')
    })
    const result = await new RedisRateLimitStore({ redis }).consume('a', hourly)
    expect(redis.eval).toHaveBeenCalledOnce()
    expect(result).toMatchObject({ allowed: true, remaining: 2 })
  })

  it('fails every bucket of a failed call (the limiter then fails open)', async () => {
    const redis = standIn(async () => {
      throw new Error('connection lost')
    })
    const store = new RedisRateLimitStore({ redis })
    const results = await Promise.allSettled([store.consume('a', hourly), store.consume('b', hourly)])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected'])
    expect(redis.eval).not.toHaveBeenCalled()
  })

  it('closes the client only when it owns it', async () => {
    const shared = standIn(async () => answer(1, 2))
    await new RedisRateLimitStore({ redis: shared }).close()
    expect(shared.quit).not.toHaveBeenCalled()
    const owned = standIn(async () => answer(1, 2))
    await new RedisRateLimitStore({ redis: owned, ownsClient: true }).close()
    expect(owned.quit).toHaveBeenCalledOnce()
  })
})
