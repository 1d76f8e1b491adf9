import { randomUUID } from 'node:crypto'
import { createApp } from '@platform/service-kit/http'
import { createRateLimitStore } from '@platform/service-kit/ratelimit'
import { describe, expect, it } from 'vitest'
import { chainRoutes } from './chain/routes.js'
import { installDexRateLimits } from './rate-limits.js'

describe('gateway rate limits', () => {
  it('limit every /v1 route per client IP with RateLimit headers, and leave health checks alone', async () => {
    const app = await createApp({ service: 'dex-ratelimit-test', openapi: { title: 'test' } })
    await installDexRateLimits(app, {
      config: { RATE_LIMIT_ENABLED: true, RATE_LIMIT_IP_PER_MINUTE: 30 },
      store: createRateLimitStore({
        redisUrl: process.env.REDIS_URL,
        keyPrefix: `test:dex-ratelimit:${randomUUID().slice(0, 8)}:`,
      }),
    })
    // A real DEX route plugin, registered after the limits as buildDexApp does.
    await app.register(async (scope) =>
      chainRoutes(
        scope as never,
        {
          chain: {
            chainId: 31337,
            rpcUrl: 'http://127.0.0.1:8545',
            embedded: false,
            contracts: { factory: '0x1', router: '0x2', weth: '0x3' },
            tokens: [],
          },
          registry: { tokens: () => [] },
          indexer: { status: () => ({ block: 1, head: 1, lag: 0, indexing: true }) },
          config: {},
        } as never,
      ),
    )
    await app.ready()
    const statuses: number[] = []
    let first: Record<string, unknown> | undefined
    let limited: { headers: Record<string, unknown>; json(): any } | undefined
    for (let i = 0; i < 40; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/chain' })
      statuses.push(res.statusCode)
      first ??= res.headers
      if (res.statusCode === 429) limited ??= res
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30)
    expect(first?.['ratelimit-limit']).toBe('30')
    expect(first?.['ratelimit-policy']).toBe('30;w=60')
    expect(limited?.json().code).toBe('rate_limited')
    expect(String(limited?.headers['content-type'])).toContain('application/problem+json')
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200)
    await app.close()
  })
})
