import { createCache } from '@platform/service-kit/cache'
import type { Database } from '@platform/service-kit/db'
import { type App, createApp } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import type { DexDeps } from '../app.js'
import { loadDexConfig } from '../config.js'
import type { PoolRegistry } from '../market/pool-registry.js'
import { mountIntelServices } from './mount.js'
import { intelServices } from './registry.js'

/** What the intelligence route tests run on: a migrated database, a pool registry, silent logs, and `extra`. */
export function intelTestDeps(
  service: string,
  db: Database,
  registry: PoolRegistry,
  extra: Record<string, unknown> = {},
): DexDeps {
  return {
    config: loadDexConfig({}),
    logger: createLogger({ service, level: 'silent' }),
    db,
    registry,
    cache: createCache({}),
    ...extra,
  } as unknown as DexDeps
}

/** A kit app with every intelligence service's routes mounted; `onRoute` sees each route as it is added. */
export async function intelTestApp(
  service: string,
  deps: DexDeps,
  onRoute?: (route: { method: string | string[]; url: string }) => void,
): Promise<App> {
  const app = await createApp({ service, logger: deps.logger, openapi: { title: 'test' } })
  if (onRoute) app.addHook('onRoute', onRoute)
  await app.register(async (scope) => mountIntelServices(intelServices)(scope as unknown as App, deps))
  await app.ready()
  return app
}
