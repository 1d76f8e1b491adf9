import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { routeOptionsOf } from '../http/route-template.js'
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
  const { policies } = options
  const { checkNow } = limiter
  // Callback style: with an in-process store the check is synchronous and costs no promise. When
  // the check refused, the reply is sent and `done` must not be called.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (routeOptionsOf(request).config?.rateLimit === false) return done()
    if (checkNow) {
      if (checkNow(request, reply, policies)) done()
      return
    }
    limiter.check(request, reply, policies).then((allowed) => {
      if (allowed) done()
    }, done)
  })
}

/** `app.register(rateLimit, { store, policies })`; fastify-plugin so the hook covers the whole app. */
export const rateLimit = fp(rateLimitPlugin, { name: 'service-kit-ratelimit', fastify: '5.x' })
