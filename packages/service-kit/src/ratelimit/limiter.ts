import type { FastifyReply, FastifyRequest } from 'fastify'
import { Counter, type Registry } from 'prom-client'
import { PROBLEM_CONTENT_TYPE, problemBody } from '../http/problem.js'
import { type PolicyOutcome, retryAfterSeconds, setRateLimitHeaders } from './headers.js'
import type { RateLimitPolicy } from './policies.js'
import type { RateLimitStore } from './types.js'

export interface RateLimiterOptions {
  store: RateLimitStore
  /**
   * When the store fails (Redis down): true lets requests through with a warning, false answers
   * 503. Default true: an outage of the limiter should not become an outage of the API.
   */
  failOpen?: boolean
  /** The app's metrics Registry: counts refusals as `rate_limit_exceeded_total{policy}`. */
  registry?: Registry
}

/**
 * Applies policies to one request from any hook. The plugin uses it in `onRequest`; products
 * whose policies need the authenticated principal (per user, per API key id) call it after
 * their auth step, so the key is a verified identity rather than a header anyone can forge.
 */
export interface RateLimiter {
  /**
   * Consumes one token from each applicable policy and sets the RateLimit-* headers. Returns
   * true when the request may go on; false when a 429 (or a fail-closed 503) has been sent, and
   * the caller's hook must `return reply`.
   */
  check(request: FastifyRequest, reply: FastifyReply, policies: readonly RateLimitPolicy[]): Promise<boolean>
  /**
   * The same check done synchronously, present when the store is in-process (consumeNow): a hook
   * can then go on without awaiting. Absent for stores that do I/O (Redis).
   */
  checkNow?:
    | ((request: FastifyRequest, reply: FastifyReply, policies: readonly RateLimitPolicy[]) => boolean)
    | undefined
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

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const failOpen = options.failOpen ?? true
  const exceeded = exceededCounter(options.registry)
  // A policy's series is exported at 0 once it first applies: dashboards read "none refused", not "no data".
  const exported = new Set<string>()
  const { store } = options

  /** Store failure: let the request through (fail open) or answer 503. */
  const unavailable = (request: FastifyRequest, reply: FastifyReply, error: unknown): boolean => {
    request.log.warn({ err: error }, 'rate limit store unavailable')
    if (failOpen) return true
    reply
      .code(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        problemBody(503, 'rate_limit_unavailable', 'rate limiting is unavailable', request.url, request.id),
      )
    return false
  }

  /** Sets the RateLimit-* headers; sends the 429 when a policy refused. */
  const decide = (request: FastifyRequest, reply: FastifyReply, outcomes: PolicyOutcome[]): boolean => {
    if (outcomes.length === 0) return true
    if (exceeded)
      for (const { policy } of outcomes)
        if (!exported.has(policy.name)) {
          exported.add(policy.name)
          exceeded.inc({ policy: policy.name }, 0)
        }
    setRateLimitHeaders(reply, outcomes)
    const denied = outcomes.filter((o) => !o.result.allowed)
    if (denied.length === 0) return true
    for (const outcome of denied) exceeded?.inc({ policy: outcome.policy.name })
    const retryAfter = retryAfterSeconds(outcomes)
    reply
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
    return false
  }

  const consumeNow = store.consumeNow?.bind(store)
  const checkNow = consumeNow
    ? (request: FastifyRequest, reply: FastifyReply, policies: readonly RateLimitPolicy[]): boolean => {
        const outcomes: PolicyOutcome[] = []
        try {
          for (const policy of policies) {
            const key = policy.key(request)
            if (key === undefined) continue
            const result = consumeNow(`${policy.name}:${key}`, policy)
            outcomes.push({ policy, result })
          }
        } catch (error) {
          return unavailable(request, reply, error)
        }
        return decide(request, reply, outcomes)
      }
    : undefined

  return {
    checkNow,
    async check(request, reply, policies) {
      if (checkNow) return checkNow(request, reply, policies)
      let outcomes: PolicyOutcome[]
      try {
        // All policies at once: with Redis that is one round trip of latency, not one per policy.
        const applicable = policies.flatMap((policy) => {
          const key = policy.key(request)
          return key === undefined ? [] : [{ policy, key }]
        })
        outcomes = await Promise.all(
          applicable.map(async ({ policy, key }) => ({
            policy,
            result: await store.consume(`${policy.name}:${key}`, {
              limit: policy.limit,
              windowMs: policy.windowMs,
            }),
          })),
        )
      } catch (error) {
        return unavailable(request, reply, error)
      }
      return decide(request, reply, outcomes)
    },
  }
}
