import Fastify from 'fastify'
import { expect, it } from 'vitest'
import { createRateLimiter } from './limiter.js'
import { MemoryRateLimitStore } from './memory.js'
import { byUser } from './policies.js'
import type { RateLimitStore } from './types.js'

// The limiter used after an auth step (a route preHandler): the key is the verified identity.
it('limits per authenticated user from a preHandler and stops the handler on refusal', async () => {
  const store = new MemoryRateLimitStore()
  const limiter = createRateLimiter({ store })
  const policies = [{ name: 'user', limit: 2, windowMs: 60_000, key: byUser((r) => (r as any).userId) }]
  let handled = 0
  const app = Fastify()
  app.decorateRequest('userId', '')
  app.get(
    '/me',
    {
      preHandler: async (request, reply) => {
        ;(request as any).userId = String(request.headers['x-user'])
        if (!(await limiter.check(request, reply, policies))) return reply
      },
    },
    async () => {
      handled++
      return { ok: true }
    },
  )
  const as = (user: string) => app.inject({ url: '/me', headers: { 'x-user': user } })
  expect((await as('ann')).statusCode).toBe(200)
  expect((await as('ann')).headers['ratelimit-remaining']).toBe('0')
  const refused = await as('ann')
  expect(refused.statusCode).toBe(429)
  expect(refused.json()).toMatchObject({ code: 'rate_limited', status: 429 })
  expect(refused.headers['retry-after']).toBeDefined()
  // another user has a bucket of their own
  expect((await as('bob')).statusCode).toBe(200)
  expect(handled).toBe(3)
  await app.close()
  await store.close()
})

it('fails closed with 503 when asked to and the store is down', async () => {
  const broken: RateLimitStore = {
    consume: async () => {
      throw new Error('redis down')
    },
    close: async () => {},
  }
  const limiter = createRateLimiter({ store: broken, failOpen: false })
  const app = Fastify({ logger: false })
  app.get(
    '/x',
    {
      preHandler: async (q, r) =>
        (await limiter.check(q, r, [{ name: 'ip', limit: 1, windowMs: 1000, key: (x) => x.ip }]))
          ? undefined
          : r,
    },
    async () => ({ ok: true }),
  )
  const res = await app.inject({ url: '/x' })
  expect(res.statusCode).toBe(503)
  expect(res.json().code).toBe('rate_limit_unavailable')
  await app.close()
})
