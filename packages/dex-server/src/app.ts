import type { AuditLog } from '@platform/service-kit/audit'
import type { Cache } from '@platform/service-kit/cache'
import type { Database } from '@platform/service-kit/db'
import { type App, createApp } from '@platform/service-kit/http'
import type { Logger } from '@platform/service-kit/logging'
import type { JobQueue } from '@platform/service-kit/queue'
import { slowThresholdsFromConfig, type Tracing } from '@platform/service-kit/tracing'
import type { Registry } from 'prom-client'
import { accountRoutes } from './account/routes.js'
import { authRoutes } from './auth/routes.js'
import type { ChainHandle } from './chain/chain.js'
import { chainRoutes } from './chain/routes.js'
import type { DexConfig } from './config.js'
import type { Indexer } from './indexer/indexer.js'
import { localizeProblems } from './intel/language/localize-problems.js'
import { intelRoutes } from './intel/mount.js'
import type { LiveHub } from './live/hub.js'
import { liveRoutes } from './live/routes.js'
import { analyticsRoutes } from './market/analytics-routes.js'
import type { MarketData } from './market/market.js'
import type { PoolRegistry } from './market/pool-registry.js'
import { marketRoutes } from './market/routes.js'
import { quoteRoutes } from './quote/routes.js'
import { installDexRateLimits } from './rate-limits.js'
import { accountDataRoutes } from './wallet/account-routes.js'
import { walletRoutes } from './wallet/routes.js'
import { webRoutes } from './web/static.js'

/** What every DEX route plugin gets: shared, already-started services. */
export interface DexDeps {
  config: DexConfig
  logger: Logger
  db: Database
  /** The kit's audit log, in the DEX schema (kit migrations). */
  audit: AuditLog
  cache: Cache
  queue: JobQueue
  chain: ChainHandle
  /** Indexed pools and tokens in memory (reserves current to the indexer's cursor). */
  registry: PoolRegistry
  market: MarketData
  indexer: Indexer
  live: LiveHub
  /** The process tracer (startTracingFromConfig); slow Redis and outgoing calls are reported by this app. */
  tracing?: Tracing
  /** The app's metrics registry, made before the app so the queue counts into it (main.ts). */
  metricsRegistry?: Registry
}

/** A route plugin: `app.register(plugin, deps)` hands it the deps as its options. */
export type DexPlugin = (app: App, deps: DexDeps) => Promise<void>

/** Route plugins in registration order; each product folder exports one. */
export const dexPlugins: DexPlugin[] = [
  chainRoutes,
  marketRoutes,
  liveRoutes,
  quoteRoutes,
  walletRoutes,
  authRoutes,
  accountRoutes,
  intelRoutes,
  analyticsRoutes,
  accountDataRoutes,
  webRoutes,
]

export async function buildDexApp(deps: DexDeps, plugins: DexPlugin[] = dexPlugins): Promise<App> {
  const app = await createApp({
    service: 'dex-server',
    logger: deps.logger,
    cors: { origins: deps.config.CORS_ORIGINS },
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    trustProxy: deps.config.TRUST_PROXY,
    ...(deps.config.METRICS_TOKEN ? { metricsToken: deps.config.METRICS_TOKEN } : {}),
    openapi: { title: 'Soba DEX API', description: 'Pools, swaps, candles, quotes and live market data.' },
    slowOperations: slowThresholdsFromConfig(deps.config),
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
    ...(deps.metricsRegistry ? { registry: deps.metricsRegistry } : {}),
  })
  await installDexRateLimits(app, { config: deps.config })
  // Problem titles in the caller's language, from the catalog the web app also uses.
  localizeProblems(app)
  for (const plugin of plugins) await app.register(async (scope) => plugin(scope as unknown as App, deps))
  return app
}
