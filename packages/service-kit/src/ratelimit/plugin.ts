import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { createRateLimiter, type RateLimiterOptions } from './limiter.js'
import type { RateLimitPolicy } from './policies.js'

export interface RateLimitPluginOptions extends RateLimiterOptions {
  policies: RateLimitPolicy[]
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` exempts a route (health checks, metrics scrapes). */
    rateLimit?: false
  }
}

async function rateLimitPlugin(app: FastifyInstance, options: RateLimitPluginOptions): Promise<void> {
  const limiter = createRateLimiter(options)
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config?.rateLimit === false) return
    if (!(await limiter.check(request, reply, options.policies))) return reply
  })
}

/** `app.register(rateLimit, { store, policies })`; fastify-plugin so the hook covers the whole app. */
export const rateLimit = fp(rateLimitPlugin, { name: 'service-kit-ratelimit', fastify: '5.x' })
