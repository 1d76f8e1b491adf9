import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { connectRedis } from './redis-connection.js'

/**
 * Shared by the kit's contract suites: which production drivers to run (only when the service
 * URL is set) and how to keep test files apart on one Redis.
 */
export const redisUrl = process.env.REDIS_URL || undefined
export const amqpUrl = process.env.AMQP_URL || undefined

/** A prefix no other test file uses, so files can run in parallel against one Redis. */
export function uniquePrefix(name: string): string {
  return `test:${name}:${randomUUID().slice(0, 8)}:`
}

export function testRedis(): Redis {
  if (!redisUrl) throw new Error('REDIS_URL is not set')
  return connectRedis(redisUrl)
}

/** Removes every key under a prefix; SCAN keeps Redis responsive even with many keys. */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    if (keys.length > 0) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Waits until `check` returns true, polling; fails after `timeoutMs` with `what` in the message. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/**
 * The drivers a contract suite runs: the in-memory one always, the Redis one when REDIS_URL is
 * set, sharing one connection under a key prefix no other file uses (`connection` returns it once
 * a Redis driver was made). Pass `cleanup` to afterAll: it deletes the suite's keys and closes
 * the connection.
 */
export function driversUnderTest<T>(
  name: string,
  memory: () => T,
  redis: (client: Redis, keyPrefix: string) => T,
): { drivers: [string, () => T][]; connection: () => Redis | undefined; cleanup: () => Promise<void> } {
  const prefix = uniquePrefix(name)
  let client: Redis | undefined
  const drivers: [string, () => T][] = [['memory', memory]]
  if (redisUrl) {
    drivers.push([
      'redis',
      () => {
        client ??= testRedis()
        return redis(client, prefix)
      },
    ])
  }
  const cleanup = async () => {
    if (!client) return
    await deleteByPrefix(client, prefix)
    await client.quit()
  }
  return { drivers, connection: () => client, cleanup }
}
