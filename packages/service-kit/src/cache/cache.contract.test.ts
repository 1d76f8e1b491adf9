import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryCache } from './memory.js'
import { RedisCache } from './redis.js'
import { driversUnderTest, eventually, sleep } from './test-support.js'
import type { Cache } from './types.js'

const { drivers, cleanup } = driversUnderTest<Cache>(
  'cache',
  () => new MemoryCache(),
  (redis, keyPrefix) => new RedisCache({ redis, keyPrefix }),
)
afterAll(cleanup)

describe.each(drivers)('cache contract (%s)', (_name, make) => {
  let cache: Cache
  beforeEach(() => {
    cache = make()
  })
  afterEach(async () => {
    await cache.close()
  })

  it('stores JSON values and returns copies', async () => {
    const value = { a: 1, nested: { list: ['x', 2, null] } }
    await cache.set('json', value)
    const read = await cache.get<typeof value>('json')
    expect(read).toEqual(value)
    expect(read).not.toBe(value)
    expect(await cache.get('missing')).toBeUndefined()
  })

  it('deletes keys and reports whether one existed', async () => {
    await cache.set('gone', 'v')
    expect(await cache.del('gone')).toBe(true)
    expect(await cache.del('gone')).toBe(false)
    expect(await cache.get('gone')).toBeUndefined()
  })

  it('expires keys after their TTL', async () => {
    await cache.set('short', 'v', { ttlMs: 40 })
    const ttl = await cache.ttl('short')
    expect(ttl).toBeGreaterThan(0)
    await sleep(80)
    expect(await cache.get('short')).toBeUndefined()
    expect(await cache.ttl('short')).toBeUndefined()
  })

  it('reports null TTL for persistent keys and sets one with expire', async () => {
    await cache.set('persist', 1)
    expect(await cache.ttl('persist')).toBeNull()
    expect(await cache.expire('persist', 40)).toBe(true)
    expect(await cache.expire('never-set', 40)).toBe(false)
    await sleep(80)
    expect(await cache.get('persist')).toBeUndefined()
  })

  it('writes with ifAbsent only once', async () => {
    expect(await cache.set('once', 'first', { ifAbsent: true })).toBe(true)
    expect(await cache.set('once', 'second', { ifAbsent: true })).toBe(false)
    expect(await cache.get('once')).toBe('first')
  })

  it('increments integers from zero and keeps the TTL', async () => {
    expect(await cache.incr('counter')).toBe(1)
    expect(await cache.incr('counter', 5)).toBe(6)
    expect(await cache.get('counter')).toBe(6)
    await cache.expire('counter', 60_000)
    await cache.incr('counter')
    expect(await cache.ttl('counter')).toBeGreaterThan(0)
  })

  it('refuses to increment a non-integer', async () => {
    await cache.set('text', 'abc')
    await expect(cache.incr('text')).rejects.toThrow()
  })

  it('delivers published messages to subscribers until they unsubscribe', async () => {
    const got: unknown[] = []
    const other: unknown[] = []
    const handler = (m: unknown) => got.push(m)
    await cache.subscribe('room', handler)
    await cache.subscribe('room', (m) => other.push(m))
    await cache.publish('room', { text: 'hi' })
    await eventually(() => got.length === 1 && other.length === 1, 'both handlers')
    expect(got[0]).toEqual({ text: 'hi' })

    await cache.unsubscribe('room', handler)
    await cache.publish('room', 2)
    await eventually(() => other.length === 2, 'remaining handler')
    expect(got).toHaveLength(1)

    await cache.unsubscribe('room')
    await cache.publish('room', 3)
    await cache.publish('elsewhere', 'x')
    await sleep(30)
    expect(other).toHaveLength(2)
  })

  it('does not deliver messages of other channels', async () => {
    const got: unknown[] = []
    await cache.subscribe('a', (m, channel) => got.push([channel, m]))
    await cache.publish('b', 'nope')
    await cache.publish('a', 'yes')
    await eventually(() => got.length === 1, 'channel a message')
    expect(got).toEqual([['a', 'yes']])
  })
})
