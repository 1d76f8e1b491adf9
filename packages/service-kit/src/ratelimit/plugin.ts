import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, type Registry } from 'prom-client'
import { PROBLEM_CONTENT_TYPE, problemBody } from '../http/problem.js'
import { type PolicyOutcome, rateLimitHeaders, retryAfterSeconds } from './headers.js'
import type { RateLimitPolicy } from './policies.js'
import type { RateLimitStore } from './types.js'

export interface RateLimitPluginOptions {
  store: RateLimitStore
  policies: RateLimitPolicy[]
  /**
   * When the store fails (Redis down): true lets requests through with a warning, false answers
   * 503. Default true: an outage of the limiter should not become an outage of the API.
   */
  failOpen?: boolean
  /** The app's metrics Registry: counts refusals as `rate_limit_exceeded_total{policy}`. */
  registry?: Registry
}

const EXCEEDED = 'rate_limit_exceeded_total'

function exceededCounter(registry: Registry | undefined): Counter<'policy'> | undefined {
  if (!registry) return undefined
  return (
    (registry.getSingleMetric(EXCEEDED) as Counter<'policy'> | undefined) ??
    new Counter({
      name: EXCEEDED,
      help: 'Requests refused by the rate limiter, by policy',
      labelNames: ['policy'],
      registers: [registry],
    })
  )
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` exempts a route (health checks, metrics scrapes). */
    rateLimit?: false
  }
}

async function rateLimitPlugin(app: FastifyInstance, options: RateLimitPluginOptions): Promise<void> {
  const failOpen = options.failOpen ?? true
  const exceeded = exceededCounter(options.registry)

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config?.rateLimit === false) return
    let outcomes: PolicyOutcome[]
    try {
      // All policies at once: with Redis that is one round trip of latency, not one per policy.
      const applicable = options.policies.flatMap((policy) => {
        const key = policy.key(request)
        return key === undefined ? [] : [{ policy, key }]
      })
      outcomes = await Promise.all(
        applicable.map(async ({ policy, key }) => ({
          policy,
          result: await options.store.consume(`${policy.name}:${key}`, {
            limit: policy.limit,
            windowMs: policy.windowMs,
          }),
        })),
      )
    } catch (error) {
      request.log.warn({ err: error }, 'rate limit store unavailable')
      if (failOpen) return
      return reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          problemBody(503, 'rate_limit_unavailable', 'rate limiting is unavailable', request.url, request.id),
        )
    }
    if (outcomes.length === 0) return
    reply.headers(rateLimitHeaders(outcomes))
    const denied = outcomes.filter((o) => !o.result.allowed)
    if (denied.length === 0) return
    for (const outcome of denied) exceeded?.inc({ policy: outcome.policy.name })
    const retryAfter = retryAfterSeconds(outcomes)
    return reply
      .code(429)
      .header('retry-after', String(retryAfter))
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        problemBody(
          429,
          'rate_limited',
          `rate limit "${denied.map((o) => o.policy.name).join('", "')}" exceeded; retry in ${retryAfter} s`,
          request.url,
          request.id,
        ),
      )
  })
}

/** `app.register(rateLimit, { store, policies })`; fastify-plugin so the hook covers the whole app. */
export const rateLimit = fp(rateLimitPlugin, { name: 'service-kit-ratelimit', fastify: '5.x' })
