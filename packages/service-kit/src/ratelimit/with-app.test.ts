import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../http/create-app.js'
import { memoryLogger } from '../http/test-support.js'
import type { App } from '../http/types.js'
import { MemoryRateLimitStore } from './memory.js'
import { rateLimit } from './plugin.js'
import { byIp } from './policies.js'

// The plugin inside the kit's app factory: problem bodies carry the kit's request id and the
// refusals show up in the app's own /metrics.
describe('rateLimit on a kit app', () => {
  let app: App
  const store = new MemoryRateLimitStore()

  beforeAll(async () => {
    app = await createApp({
      service: 'ratelimit-test',
      logger: memoryLogger().logger,
      openapi: { title: 't' },
    })
    await rateLimit(app, {
      store,
      registry: app.metrics.registry,
      policies: [{ name: 'ip', limit: 1, windowMs: 60_000, key: byIp() }],
    })
    app.get('/v1/ping', async () => ({ pong: true }))
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    await store.close()
  })

  it('refuses the second request with the kit problem shape and counts it', async () => {
    expect((await app.inject({ url: '/v1/ping' })).statusCode).toBe(200)
    const refused = await app.inject({ url: '/v1/ping' })
    expect(refused.statusCode).toBe(429)
    const body = refused.json()
    expect(body).toMatchObject({
      type: 'urn:problem:rate_limited',
      code: 'rate_limited',
      status: 429,
      instance: '/v1/ping',
    })
    expect(body.requestId).toBe(refused.headers['x-request-id'])
    const metrics = await app.metrics.registry.metrics()
    expect(metrics).toMatch(/^rate_limit_exceeded_total\{policy="ip"[^}]*\} 1$/m)
  })
})
