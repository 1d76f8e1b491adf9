import { afterAll, describe, expect, it } from 'vitest'
import { MemoryCache } from '../cache/memory.js'
import { RedisCache } from '../cache/redis.js'
import { driversUnderTest, sleep } from '../cache/test-support.js'
import type { Cache } from '../cache/types.js'
import { PrivacyRegistry } from './registry.js'
import { RetentionRunner } from './retention.js'

const { drivers: caches, cleanup } = driversUnderTest<Cache>(
  'retention-lease',
  () => new MemoryCache(),
  (redis, keyPrefix) => new RedisCache({ redis, keyPrefix }),
)
afterAll(cleanup)

/** A registry whose one policy counts its purges; every replica of a deploy registers the same. */
function countingRegistry(everyMs: number) {
  const purges: number[] = []
  const registry = new PrivacyRegistry().registerRetention({
    name: 'old-rows',
    everyMs,
    purge: async () => {
      purges.push(Date.now())
      return 1
    },
  })
  return { registry, purges }
}

describe.each(caches)('retention lease across replicas (%s cache)', (_name, makeCache) => {
  it('runs a policy on one replica per interval, and again once the interval has passed', async () => {
    const cache = makeCache()
    const everyMs = 300
    const { registry, purges } = countingRegistry(everyMs)
    // Two replicas: same registry, same shared cache, separate runners (as separate processes).
    const replicaA = new RetentionRunner({ registry, lease: { cache, holder: 'a' } })
    const replicaB = new RetentionRunner({ registry, lease: { cache, holder: 'b' } })

    const [runsA, runsB] = await Promise.all([replicaA.runDue(), replicaB.runDue()])
    expect(purges).toHaveLength(1)
    expect([...runsA, ...runsB]).toEqual([{ policy: 'old-rows', deleted: 1 }])

    // Within the interval neither replica purges again.
    expect(await replicaA.runDue()).toEqual([])
    expect(await replicaB.runDue()).toEqual([])

    await sleep(everyMs + 100)
    await Promise.all([replicaB.runDue(), replicaA.runDue()])
    expect(purges).toHaveLength(2)
    await cache.close()
  })
})

describe('retention lease when the cache fails', () => {
  it('purges anyway and reports the lease error, since skipping would keep data past its period', async () => {
    const { registry, purges } = countingRegistry(60_000)
    const errors: [string, string][] = []
    const runner = new RetentionRunner({
      registry,
      lease: {
        cache: {
          set: async () => {
            throw new Error('connection refused')
          },
        },
      },
      onLeaseError: (error, policy) => errors.push([policy, (error as Error).message]),
    })
    expect(await runner.runDue()).toEqual([{ policy: 'old-rows', deleted: 1 }])
    expect(purges).toHaveLength(1)
    expect(errors).toEqual([['old-rows', 'connection refused']])
  })
})
