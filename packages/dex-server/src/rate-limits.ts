import type { App } from '@platform/service-kit/http'
import { createRateLimitStore, type RateLimitStore, rateLimit } from '@platform/service-kit/ratelimit'

const MINUTE = 60_000

export interface DexRateLimitOptions {
  config: { REDIS_URL?: string | undefined; RATE_LIMIT_ENABLED: boolean; RATE_LIMIT_IP_PER_MINUTE: number }
  /** Tests pass their own; otherwise Redis when REDIS_URL is set, else in memory. */
  store?: RateLimitStore
}

/**
 * The kit's token bucket per client IP on every /v1 route, registered on the whole app so a route
 * added later cannot be forgotten (health, metrics and docs stay unlimited). Sign-in routes add
 * tighter limits of their own (auth/routes.ts).
 */
export async function installDexRateLimits(app: App, options: DexRateLimitOptions): Promise<void> {
  if (!options.config.RATE_LIMIT_ENABLED) return
  const store =
    options.store ?? createRateLimitStore({ redisUrl: options.config.REDIS_URL, keyPrefix: 'dex:ratelimit:' })
  if (!options.store) app.addHook('onClose', async () => store.close())
  await app.register(rateLimit, {
    store,
    registry: app.metrics?.registry,
    policies: [
      {
        name: 'ip',
        limit: options.config.RATE_LIMIT_IP_PER_MINUTE,
        windowMs: MINUTE,
        key: (request) => (request.routeOptions.url?.startsWith('/v1/') ? request.ip : undefined),
      },
    ],
  })
}
