import { afterAll, describe, expect, it } from 'vitest'
import { driversUnderTest, sleep } from '../cache/test-support.js'
import { MemoryRateLimitStore } from './memory.js'
import { RedisRateLimitStore } from './redis.js'
import type { RateLimitStore } from './types.js'

const { drivers, connection, cleanup } = driversUnderTest<RateLimitStore>(
  'ratelimit',
  () => new MemoryRateLimitStore(),
  (redis, keyPrefix) => new RedisRateLimitStore({ redis, keyPrefix }),
)
afterAll(cleanup)

const hourly = { limit: 3, windowMs: 3_600_000 }

describe.each(drivers)('rate limit store contract (%s)', (driver, make) => {
  const store = make()

  it('allows up to the limit, then denies with a retry delay', async () => {
    const key = `burst-${driver}`
    const results = []
    for (let i = 0; i < 4; i++) results.push(await store.consume(key, hourly))
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false])
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0])
    expect(results[3]!.retryAfterMs).toBeGreaterThan(0)
    expect(results[3]!.retryAfterMs).toBeLessThanOrEqual(hourly.windowMs / hourly.limit)
    expect(results[2]!.resetMs).toBeLessThanOrEqual(hourly.windowMs)
  })

  it('keeps buckets of different keys apart', async () => {
    for (let i = 0; i < 3; i++) await store.consume(`a-${driver}`, hourly)
    expect((await store.consume(`a-${driver}`, hourly)).allowed).toBe(false)
    expect((await store.consume(`b-${driver}`, hourly)).allowed).toBe(true)
  })

  it('charges the cost and denies a request costing more than is left', async () => {
    const key = `cost-${driver}`
    expect(await store.consume(key, { ...hourly, cost: 2 })).toMatchObject({ allowed: true, remaining: 1 })
    expect(await store.consume(key, { ...hourly, cost: 2 })).toMatchObject({ allowed: false, remaining: 1 })
    expect(await store.consume(key, { ...hourly, cost: 1 })).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('refills tokens over time', async () => {
    const key = `refill-${driver}`
    const fast = { limit: 2, windowMs: 100 }
    await store.consume(key, fast)
    await store.consume(key, fast)
    expect((await store.consume(key, fast)).allowed).toBe(false)
    await sleep(150)
    expect((await store.consume(key, fast)).allowed).toBe(true)
  })

  it('never overspends under concurrent requests', async () => {
    const key = `race-${driver}`
    const spec = { limit: 10, windowMs: 3_600_000 }
    const results = await Promise.all(Array.from({ length: 25 }, () => store.consume(key, spec)))
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
  })

  it('takes a key asked for twice at once twice, and stores on one backend share buckets', async () => {
    const key = `twice-${driver}`
    const one = { limit: 1, windowMs: 3_600_000 }
    const both = await Promise.all([store.consume(key, one), store.consume(key, one)])
    expect(both.map((result) => result.allowed)).toEqual([true, false])
    if (driver === 'redis') {
      const other = make()
      expect((await other.consume(key, one)).allowed).toBe(false)
    }
  })

  if (driver === 'redis') {
    it('reloads the script after Redis forgot it (NOSCRIPT fallback)', async () => {
      await connection()!.script('FLUSH')
      expect((await store.consume(`flushed-${driver}`, hourly)).allowed).toBe(true)
    })
  }
})
