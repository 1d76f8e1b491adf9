import { fileURLToPath } from 'node:url'
import { AuditLog } from '@platform/service-kit/audit'
import { createCache } from '@platform/service-kit/cache'
import {
  type Database,
  type MigrationLogger,
  migrateAll,
  type OpenDatabaseOptions,
  openDatabase,
  type QueryEvent,
} from '@platform/service-kit/db'
import { databaseCheck, pingCheck } from '@platform/service-kit/health'
import type { App } from '@platform/service-kit/http'
import { createLogger, logShippingFromConfig, shutdownLogger } from '@platform/service-kit/logging'
import { createMetricsRegistry } from '@platform/service-kit/metrics'
import { kitMigrationsDir, PrivacyRegistry, RetentionRunner } from '@platform/service-kit/privacy'
import { createQueue } from '@platform/service-kit/queue'
import { type SlowOperationDetector, startTracingFromConfig } from '@platform/service-kit/tracing'
import type { Address } from 'viem'
import { registerDexRetention } from './account/retention.js'
import { buildDexApp, type DexDeps } from './app.js'
import { type ChainHandle, connectRemoteChain, startEmbeddedChain } from './chain/chain.js'
import { getBlockNumber } from './chain/rpc.js'
import { type DexConfig, loadDexConfig } from './config.js'
import { Indexer, indexId } from './indexer/indexer.js'
import { IndexerLease } from './indexer/lease.js'
import { registerIndexerMetrics } from './indexer/metrics.js'
import { OutboxRelay } from './intel/pipeline/relay.js'
import { pipelineTopology } from './intel/pipeline/topology.js'
import { selectIntelServices } from './intel/registry.js'
import { startIntelWorkers } from './intel/workers.js'
import { LiveHub } from './live/hub.js'
import { MarketData } from './market/market.js'
import { PoolRegistry } from './market/pool-registry.js'
import { protocolFeeReader } from './market/protocol-fee.js'
import { indexerLagCheck } from './quote/freshness.js'
import { createPlantedActors } from './simulator/actors/index.js'
import { discardLabels, fileLabelSink } from './simulator/actors/labels.js'
import { MEAN_REVERTING_TOKEN, MeanRevertingReference } from './simulator/mean-reverting.js'
import { MarketSimulator } from './simulator/simulator.js'
import { perTickVolatility } from './simulator/volatility.js'

export interface StartDexServerOptions {
  /** A PGlite shared with other products (embedded mode); ignored when DATABASE_URL is set. */
  pglite?: OpenDatabaseOptions['pglite'] | undefined
  port?: number
  host?: string
  /** Database schema (default `dex`); tests isolate themselves with a unique one. */
  schema?: string
  /** Environment to read the config from (default process.env). */
  env?: Record<string, string | undefined>
}

export interface DexServer {
  app: App
  url: string
  deps: DexDeps
  simulator: MarketSimulator | null
  close(): Promise<void>
}

export const DEX_SCHEMA = 'dex'
export const dexMigrationsDir = fileURLToPath(new URL('../migrations', import.meta.url))

/** The kit's tables (audit log, privacy requests) first, then the DEX's own; returns how many were applied. */
export function migrateDexSchema(database: Database, logger?: MigrationLogger): Promise<number> {
  return migrateAll(database, [kitMigrationsDir, dexMigrationsDir], logger)
}

function startChain(config: DexConfig, onMethod: (method: string) => void): Promise<ChainHandle> {
  if (!config.CHAIN_RPC_URL) {
    return startEmbeddedChain({
      host: config.RPC_HOST,
      port: config.RPC_PORT,
      blockTimeMs: config.CHAIN_BLOCK_TIME_MS,
      onMethod,
    })
  }
  const { FACTORY_ADDRESS, ROUTER_ADDRESS, WETH_ADDRESS } = config
  if (!FACTORY_ADDRESS || !ROUTER_ADDRESS || !WETH_ADDRESS) {
    throw new Error('CHAIN_RPC_URL needs FACTORY_ADDRESS, ROUTER_ADDRESS and WETH_ADDRESS')
  }
  return connectRemoteChain({
    rpcUrl: config.CHAIN_RPC_URL,
    ...(config.CHAIN_PUBLIC_RPC_URL ? { publicRpcUrl: config.CHAIN_PUBLIC_RPC_URL } : {}),
    factory: FACTORY_ADDRESS.toLowerCase() as Address,
    router: ROUTER_ADDRESS.toLowerCase() as Address,
    weth: WETH_ADDRESS.toLowerCase() as Address,
    ...(config.QUOTE_TOKEN_ADDRESS
      ? { quoteToken: config.QUOTE_TOKEN_ADDRESS.toLowerCase() as Address }
      : {}),
  })
}

/**
 * Starts Soba DEX: migrates the `dex` schema, starts (or connects to) the chain, indexes it to the
 * head, starts following it (and the market simulator on the embedded chain), then serves the API.
 */
export async function startDexServer(options: StartDexServerOptions = {}): Promise<DexServer> {
  const config = loadDexConfig(options.env ?? process.env)
  const logger = createLogger({
    service: 'dex-server',
    level: config.LOG_LEVEL as 'info',
    ...(config.LOG_FILE ? { destination: config.LOG_FILE } : {}),
    ...logShippingFromConfig(config),
  })
  // Before the database and Redis clients exist, so pg, ioredis and outgoing HTTP get spans.
  const tracing = startTracingFromConfig(config, 'dex-server')
  // Slow SQL goes to the app's detector (SLOW_DB_MS), which exists once the app is built.
  let slow: SlowOperationDetector | undefined
  const onQuery = (query: QueryEvent) =>
    slow?.observe('db', query.durationMs, { 'db.statement': query.sql.slice(0, 1000), failed: query.failed })
  const cleanup: Array<() => Promise<unknown>> = []
  const close = async () => {
    for (const step of cleanup.splice(0).reverse()) {
      await step().catch((error) => logger.error({ err: error }, 'dex: close step failed'))
    }
  }
  // Runs last on close: spans of the shutdown itself reach the collector.
  // Runs very last: the shipper sends what it still holds, shutdown lines included.
  cleanup.push(() => shutdownLogger(logger))
  cleanup.push(() => tracing.forceFlush())
  try {
    const db = await openDatabase({
      schema: options.schema ?? DEX_SCHEMA,
      onQuery,
      onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost; reconnecting'),
      ...(config.DATABASE_URL
        ? { url: config.DATABASE_URL }
        : options.pglite
          ? { pglite: options.pglite }
          : {}),
    })
    cleanup.push(() => db.close())
    await migrateDexSchema(db, logger)

    const cache = createCache({ redisUrl: config.REDIS_URL, keyPrefix: 'dex:' })
    cleanup.push(() => cache.close())
    const audit = new AuditLog(db)
    // One replica runs each purge per interval (a lease in the shared cache); each run is audited.
    const retention = new RetentionRunner({
      registry: registerDexRetention(new PrivacyRegistry(), { db: db.kysely, audit, periods: config }),
      audit,
      lease: { cache },
      onLeaseError: (error, policy) =>
        logger.warn({ err: error, policy }, 'retention: lease unavailable, purging anyway'),
    })
    retention.start(Math.min(60_000, config.RETENTION_SWEEP_MS))
    cleanup.push(() => retention.stop())
    // Made before the app, so queue publish, consume and dead-letter counts land on its /metrics.
    const metricsRegistry = createMetricsRegistry('dex-server')
    const queue = await createQueue({
      registry: metricsRegistry,
      amqpUrl: config.AMQP_URL,
      cache,
      onError: (error) => logger.error({ err: error }, 'queue error'),
    })
    cleanup.push(() => queue.close())

    let indexer: Indexer | undefined
    const chain = await startChain(config, (method) => {
      if (method === 'evm_mine' || method === 'evm_revert' || method.startsWith('eth_send')) indexer?.poke()
    })
    cleanup.push(() => chain.close())
    logger.info(
      { chainId: chain.chainId, rpcUrl: chain.rpcUrl, contracts: chain.contracts },
      'dex: chain ready',
    )

    const registry = new PoolRegistry()
    // One process per database writes the index: those with DEX_INDEXER=true elect it through a
    // lease row in the database (indexer/lease.ts), the others follow the stored index (cursor
    // and pool graph reloaded from the database when the cursor moves). The database is the one
    // thing every DEX process shares; reading it back costs one small query per INDEXER_FOLLOW_MS
    // and a reload per new block, where six indexers cost six RPC streams and the losers' retries.
    indexer = new Indexer({
      mode: config.DEX_INDEXER ? 'lease' : 'never',
      lease: new IndexerLease({
        db: db.kysely,
        id: indexId(chain.chainId, chain.contracts.factory),
        ttlMs: config.INDEXER_LEASE_TTL_MS,
      }),
      followMs: config.INDEXER_FOLLOW_MS,
      db: db.kysely,
      rpc: chain.rpc,
      graph: registry,
      chainId: chain.chainId,
      factory: chain.contracts.factory,
      startBlock: config.INDEXER_START_BLOCK,
      batchBlocks: config.INDEXER_BATCH_BLOCKS,
      headBlocks: config.INDEXER_HEAD_BLOCKS,
      pollMs: config.INDEXER_POLL_MS,
      logger,
    })
    await indexer.init()
    // The embedded chain is young: index it before serving. A remote one backfills in the background.
    if (chain.embedded && (await indexer.claim())) await indexer.syncToHead()
    indexer.start()
    cleanup.push(() => (indexer as Indexer).stop())
    // The indexer writes its events to the outbox in each range's transaction; the relay publishes
    // them once the intelligence workers run (below), in the process that writes the index only.
    const topology = pipelineTopology(db.schema)
    const pipelineRuns =
      config.DEX_SERVICES.includes('pipeline') ||
      config.DEX_INTEL_UPSTREAMS.some((upstream) => upstream.service === 'pipeline')
    const relay = new OutboxRelay({
      db: db.kysely,
      queue,
      exchange: topology.exchange,
      ...(pipelineRuns ? { pipelineQueue: topology.queueName } : {}),
      onError: (error) => logger.error({ err: error }, 'outbox relay: publish failed'),
    })
    cleanup.push(() => relay.stop())

    const market = new MarketData(
      db.kysely,
      registry,
      chain.quoteToken,
      protocolFeeReader(chain.rpc, chain.contracts.factory),
    )
    const live = new LiveHub(db.kysely, registry, indexer, (error) =>
      logger.error({ err: error }, 'live: publish failed'),
    )

    let simulator: MarketSimulator | null = null
    if (chain.embedded && config.SIM_ENABLED) {
      const meanReverting = chain.seedTokens.find((t) => t.symbol === MEAN_REVERTING_TOKEN.symbol)
      const [seeder, t1, t2, t3, t4, arbitrageur, lp1, lp2] = chain.devAccounts
      const traders = [t1, t2, t3, t4].filter((a): a is Address => a !== undefined)
      const actors = createPlantedActors(config.SIM_ACTORS, {
        rpc: chain.rpc,
        router: chain.contracts.router,
        factory: chain.contracts.factory,
        weth: chain.contracts.weth,
        tokens: chain.seedTokens,
        traders,
        treasury: seeder as Address,
        labels: config.SIM_LABELS_FILE ? fileLabelSink(config.SIM_LABELS_FILE) : discardLabels,
        seed: config.SIM_SEED,
      })
      simulator = new MarketSimulator({
        rpc: chain.rpc,
        router: chain.contracts.router,
        tokens: chain.seedTokens,
        pools: () => registry.pools(),
        traders,
        arbitrageur: arbitrageur as Address,
        liquidityProviders: [lp1, lp2].filter((a): a is Address => a !== undefined),
        intervalMs: config.SIM_INTERVAL_MS,
        tradesPerTick: config.SIM_TRADES_PER_TICK,
        seed: config.SIM_SEED,
        volatility: perTickVolatility(config.SIM_VOLATILITY_PCT / 100, config.SIM_INTERVAL_MS),
        ...(meanReverting
          ? {
              meanReverting: new MeanRevertingReference(meanReverting.address, {
                seed: config.SIM_SEED,
                tickSeconds: config.SIM_INTERVAL_MS / 1000,
              }),
            }
          : {}),
        logger,
        actors,
      })
      simulator.start()
      // Actors deploy and fund themselves over a few blocks while the market already trades.
      simulator.setupActors().catch((error) => logger.error({ err: error }, 'simulator: actor setup failed'))
      cleanup.push(() => (simulator as MarketSimulator).stop())
    }

    const deps: DexDeps = {
      config,
      logger,
      db,
      audit,
      cache,
      queue,
      chain,
      registry,
      market,
      indexer,
      live,
      tracing,
      metricsRegistry,
    }
    // Intelligence workers consume what the indexer writes: started after it, stopped before it.
    const intel = selectIntelServices(config.DEX_SERVICES)
    if (intel.missing.length > 0)
      logger.warn({ services: intel.missing }, 'intel: DEX_SERVICES names services not built in this server')
    const workers = await startIntelWorkers(intel.services, deps)
    cleanup.push(() => workers.stop())
    // The relay runs where the index is written: it starts and stops with the indexer's lease.
    // It declares the pipeline's queue before publishing, so events wait in the broker for a
    // pipeline in another process that has not subscribed yet.
    indexer.on('role', (indexing) => {
      if (indexing) relay.start()
      else relay.stop().catch((error) => logger.error({ err: error }, 'outbox relay: stop failed'))
    })
    if (indexer.indexing) relay.start()
    indexer.on('batch', () => relay.poke())
    const app = await buildDexApp(deps)
    slow = app.slowOperations
    // Server-sent event streams never go idle: end them first, or closing the server waits on them.
    app.addHook('preClose', async () => live.close())
    app.readiness.add(databaseCheck(db))
    app.readiness.add(pingCheck('chain', () => getBlockNumber(chain.rpc)))
    app.readiness.add(indexerLagCheck(indexer, config.QUOTE_MAX_LAG_BLOCKS))
    registerIndexerMetrics(app.metrics.registry, indexer)
    const url = await app.listen({
      port: options.port ?? config.DEX_PORT ?? config.PORT,
      host: options.host ?? config.HOST,
    })
    cleanup.push(() => app.close())
    logger.info({ url, rpcUrl: chain.rpcUrl }, 'dex: listening')
    return { app, url, deps, simulator, close }
  } catch (error) {
    await close()
    throw error
  }
}
