import Fastify, { type FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryRateLimitStore } from './memory.js'
import { rateLimit } from './plugin.js'
import { byApiKey, byIp, byUser } from './policies.js'
import type { RateLimitStore } from './types.js'

describe('rateLimit plugin', () => {
  let app: FastifyInstance
  let store: MemoryRateLimitStore
  let registry: Registry

  beforeEach(async () => {
    store = new MemoryRateLimitStore()
    registry = new Registry()
    app = Fastify()
    await app.register(rateLimit, {
      store,
      registry,
      policies: [
        { name: 'ip', limit: 5, windowMs: 60_000, key: byIp() },
        { name: 'apikey', limit: 2, windowMs: 60_000, key: byApiKey() },
        { name: 'user', limit: 3, windowMs: 60_000, key: byUser((r) => r.headers['x-user'] as string) },
      ],
    })
    app.get('/thing', async () => ({ ok: true }))
    app.get('/health', { config: { rateLimit: false } }, async () => ({ ok: true }))
    await app.ready()
  })
  afterEach(async () => {
    await app.close()
    await store.close()
  })

  it('sends RateLimit headers on allowed requests', async () => {
    const res = await app.inject({ url: '/thing' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['ratelimit-limit']).toBe('5')
    expect(res.headers['ratelimit-remaining']).toBe('4')
    expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0)
    expect(res.headers['ratelimit-policy']).toBe('5;w=60')
  })

  it('exports each policy at 0 refusals once it applies, before any refusal', async () => {
    expect((await app.inject({ url: '/thing' })).statusCode).toBe(200)
    const metric = await registry.getSingleMetricAsString('rate_limit_exceeded_total')
    expect(metric).toContain('rate_limit_exceeded_total{policy="ip"} 0')
    // No API key, no user: those policies did not apply and are not exported yet.
    expect(metric).not.toContain('policy="apikey"')
  })

  it('answers 429 problem+json with Retry-After once the IP limit is spent', async () => {
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/thing' })).statusCode).toBe(200)
    const res = await app.inject({ url: '/thing' })
    expect(res.statusCode).toBe(429)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(res.headers['ratelimit-remaining']).toBe('0')
    expect(res.json()).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too Many Requests' })
    expect(res.json().detail).toContain('ip')
    expect(await registry.getSingleMetricAsString('rate_limit_exceeded_total')).toContain(
      'rate_limit_exceeded_total{policy="ip"} 1',
    )
  })

  it('limits per API key and reports the tightest policy', async () => {
    const headers = { 'x-api-key': 'sk_live_abc' }
    const first = await app.inject({ url: '/thing', headers })
    expect(first.headers['ratelimit-limit']).toBe('2')
    expect(first.headers['ratelimit-policy']).toBe('5;w=60, 2;w=60')
    await app.inject({ url: '/thing', headers })
    const third = await app.inject({ url: '/thing', headers })
    expect(third.statusCode).toBe(429)
    expect(third.json().detail).toContain('apikey')
    // Another key from the same IP still has its own budget.
    expect((await app.inject({ url: '/thing', headers: { 'x-api-key': 'sk_live_other' } })).statusCode).toBe(
      200,
    )
  })

  it('limits per user', async () => {
    const headers = { 'x-user': 'u1' }
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/thing', headers })).statusCode).toBe(200)
    expect((await app.inject({ url: '/thing', headers })).statusCode).toBe(429)
  })

  it('exempts routes configured with rateLimit: false', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await app.inject({ url: '/health' })
      expect(res.statusCode).toBe(200)
      expect(res.headers['ratelimit-limit']).toBeUndefined()
    }
  })
})

describe('rateLimit plugin when the store fails', () => {
  const broken: RateLimitStore = {
    consume: async () => {
      throw new Error('redis down')
    },
    close: async () => {},
  }
  const build = async (failOpen: boolean) => {
    const app = Fastify()
    await app.register(rateLimit, {
      store: broken,
      failOpen,
      policies: [{ name: 'ip', limit: 1, windowMs: 1000, key: byIp() }],
    })
    app.get('/x', async () => 'ok')
    return app
  }

  it('lets requests through when failing open', async () => {
    const app = await build(true)
    expect((await app.inject({ url: '/x' })).statusCode).toBe(200)
    await app.close()
  })

  it('answers 503 problem+json when failing closed', async () => {
    const app = await build(false)
    const res = await app.inject({ url: '/x' })
    expect(res.statusCode).toBe(503)
    expect(res.json().code).toBe('rate_limit_unavailable')
    await app.close()
  })
})
