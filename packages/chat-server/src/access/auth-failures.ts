import { HttpProblem } from '@platform/service-kit/http'
import type { MemoryRateLimitStore } from '@platform/service-kit/ratelimit'
import type { FastifyError, FastifyRequest, RouteOptions } from 'fastify'
import { Counter, type Registry } from 'prom-client'

const MINUTE = 60_000
/** 401 codes that mean "wrong credentials"; an expired token is normal client life, not an attack. */
const NOT_COUNTED = new Set(['token_expired'])

/**
 * Per-IP budget of failed authentications (bad API key, admin key, token or refresh token, and a
 * realtime connect with a wrong token). The principal-keyed limits only apply once a caller has
 * authenticated, so without this an address could try credentials, and make the server look them
 * up, without bound.
 *
 * The budget is kept in process memory on purpose: the gate runs before every authenticated
 * request, and a Redis round trip there would tax every call to protect against a few. With N
 * replicas an address gets N budgets, which still bounds it.
 */
export class AuthFailureBudget {
  private readonly spec: { limit: number; windowMs: number }

  constructor(
    limit: number,
    private readonly store: MemoryRateLimitStore,
    private readonly counter: Counter<'reason'> | undefined,
  ) {
    this.spec = { limit, windowMs: MINUTE }
  }

  /** True when the address has no failures left this minute. */
  exhausted(ip: string): boolean {
    // cost 0 reads the bucket without spending from it; synchronous (memory), so no promise per request
    return this.store.consumeNow(`authfail:${ip}`, { ...this.spec, cost: 0 }).remaining < 1
  }

  record(ip: string, reason: string): void {
    this.counter?.inc({ reason })
    this.store.consumeNow(`authfail:${ip}`, this.spec)
  }

  /** Refuses an exhausted address before the route runs, and counts the route's 401s. */
  install(route: RouteOptions): void {
    const limit = this.spec.limit
    const gate = (request: FastifyRequest, _reply: unknown, done: (error?: Error) => void) => {
      if (!this.exhausted(request.ip)) return done()
      const retryAfter = Math.max(1, Math.ceil(1 / (limit / MINUTE) / 1000))
      done(
        new HttpProblem(429, 'rate_limited', 'too many failed authentications from this address', {
          headers: {
            'retry-after': String(retryAfter),
            'ratelimit-limit': String(limit),
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(retryAfter),
            'ratelimit-policy': `${limit};w=60`,
          },
        }),
      )
    }
    const count = async (request: FastifyRequest, _reply: unknown, error: FastifyError | HttpProblem) => {
      const status = error instanceof HttpProblem ? error.status : error.statusCode
      const code = (error as { code?: string }).code ?? ''
      if (status !== 401 || NOT_COUNTED.has(code)) return
      this.record(request.ip, code || 'unauthorized')
    }
    route.onRequest = [...asArray(route.onRequest), gate]
    route.onError = [...asArray(route.onError), count as any]
  }
}

export function authFailureCounter(registry: Registry | undefined): Counter<'reason'> | undefined {
  if (!registry) return undefined
  const name = 'auth_failures_total'
  return (
    (registry.getSingleMetric(name) as Counter<'reason'> | undefined) ??
    new Counter({
      name,
      help: 'Failed authentications on the chat API, by problem code',
      labelNames: ['reason'],
      registers: [registry],
    })
  )
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
