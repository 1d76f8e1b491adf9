import type { App } from '@platform/service-kit/http'
import {
  createRateLimiter,
  createRateLimitStore,
  MemoryRateLimitStore,
  type RateLimitPolicy,
  type RateLimitStore,
} from '@platform/service-kit/ratelimit'
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { Registry } from 'prom-client'
import type { ChatConfig } from '../config.js'
import { AuthFailureBudget, authFailureCounter } from './auth-failures.js'

const MINUTE = 60_000

/** Routes with a policy of their own on top of the per-principal one (method + full route template). */
const SEND_ROUTES = new Set(['POST /v1/channels/:channelId/messages'])

export interface ChatRateLimitOptions {
  config: ChatConfig
  /**
   * Defaults to Redis on REDIS_URL (prefix `chat:ratelimit:`; a request's buckets go in one script
   * call), else in memory.
   */
  store?: RateLimitStore | undefined
  registry?: Registry
}

/**
 * Rate limits for every /v1 route, decided once per route when it is registered (onRoute), so a
 * new route cannot be forgotten:
 * - a route with an auth guard is limited after the guard, by the verified principal: per API key
 *   id for backends, per (app, user) for user tokens (sends also by a tighter per-user policy),
 *   per IP for the operator key;
 * - a route without a guard (token refresh, signed file URLs) is limited per client IP in
 *   onRequest, before its body is even parsed.
 * Keying on the verified principal rather than a raw header means nobody can spend another
 * user's budget by forging a token, and the bench's 100 senders on one IP never share a bucket.
 */
export function installRateLimits(
  scope: App,
  options: ChatRateLimitOptions,
): { authFailures?: AuthFailureBudget; close(): Promise<void> } {
  const { config } = options
  if (!config.RATE_LIMIT_ENABLED) return { close: async () => {} }
  const ownsStore = !options.store
  const store =
    options.store ?? createRateLimitStore({ redisUrl: config.REDIS_URL, keyPrefix: 'chat:ratelimit:' })
  const limiter = createRateLimiter({ store, ...(options.registry ? { registry: options.registry } : {}) })

  const perIp: RateLimitPolicy = {
    name: 'ip',
    limit: config.RATE_LIMIT_IP_PER_MINUTE,
    windowMs: MINUTE,
    key: (request) => request.ip,
  }
  const admin: RateLimitPolicy = {
    ...perIp,
    name: 'admin',
    key: (request) => (request.principal?.kind === 'admin' ? request.ip : undefined),
  }
  const apiKey: RateLimitPolicy = {
    name: 'apikey',
    limit: config.RATE_LIMIT_API_KEY_PER_MINUTE,
    windowMs: MINUTE,
    key: (request) => {
      const p = request.principal
      return p?.kind === 'server' ? `${p.appId}:${p.keyId}` : undefined
    },
  }
  const user: RateLimitPolicy = {
    name: 'user',
    limit: config.RATE_LIMIT_USER_PER_MINUTE,
    windowMs: MINUTE,
    key: (request) => {
      const p = request.principal
      return p?.kind === 'user' ? `${p.appId}:${p.userId}` : undefined
    },
  }
  const sends: RateLimitPolicy = { ...user, name: 'send', limit: config.RATE_LIMIT_USER_SENDS_PER_MINUTE }
  // A guard that let the request through without a principal (none does today) falls back to the IP.
  const anonymous: RateLimitPolicy = {
    ...perIp,
    key: (request) => (request.principal ? undefined : request.ip),
  }

  const checkNow = limiter.checkNow
  const hook = (policies: RateLimitPolicy[]) =>
    checkNow
      ? // in-process store: no promise per request; on refusal the 429 is sent and done is not called
        (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
          if (checkNow(request, reply, policies)) done()
        }
      : async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
          if (!(await limiter.check(request, reply, policies))) return reply
          return undefined
        }

  const authFailureStore = new MemoryRateLimitStore()
  const authFailures = new AuthFailureBudget(
    config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
    authFailureStore,
    authFailureCounter(options.registry),
  )

  scope.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.rateLimit === false) return
    authFailures.install(route)
    const guards = asArray(route.preHandler)
    if (guards.length === 0) {
      route.onRequest = [...asArray(route.onRequest), hook([perIp])]
      return
    }
    const methods = asArray(route.method)
    const isSend = methods.some((method) => SEND_ROUTES.has(`${method} ${route.url}`))
    const policies = [admin, apiKey, user, anonymous, ...(isSend ? [sends] : [])]
    route.preHandler = [...guards, hook(policies)]
  })
  return {
    authFailures,
    close: async () => {
      await authFailureStore.close()
      if (ownsStore) await store.close()
    },
  }
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
