import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PGlite } from '@electric-sql/pglite'
import type { Cache } from '@platform/service-kit/cache'
import {
  type Database,
  type MigrationLogger,
  migrateAll,
  openDatabase,
  type QueryEvent,
} from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { createLogger, logShippingFromConfig, shutdownLogger } from '@platform/service-kit/logging'
import { kitMigrationsDir } from '@platform/service-kit/privacy'
import { type SlowOperationDetector, startTracingFromConfig } from '@platform/service-kit/tracing'
import { buildChatApp, type RealtimePlugin } from './app.js'
import { loadChatConfig } from './config.js'
import { seedDemoWhenEmbedded } from './demo/seed.js'
import type { ChatDatabase } from './shared/database.js'

export const CHAT_SCHEMA = 'chat'
export const chatMigrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations')

/**
 * Everything ChatSDK's schema needs: the kit's tables (audit log, privacy requests) first, then
 * ChatSDK's own. Returns how many migrations were applied. Start-up, tests and benchmarks all use
 * this, so none of them can miss the kit's part.
 */
export function migrateChatSchema<DB>(database: Database<DB>, logger?: MigrationLogger): Promise<number> {
  return migrateAll(database, [kitMigrationsDir, chatMigrationsDir], logger)
}

export interface StartChatServerOptions {
  /** A PGlite shared with other products (embedded mode); ignored when DATABASE_URL is set. */
  pglite?: PGlite
  port?: number
  host?: string
  env?: NodeJS.ProcessEnv
  cache?: Cache
  /** The realtime gateway plugin; by default src/realtime's `realtimePlugin` export when it has one. */
  realtime?: RealtimePlugin | null
  workers?: boolean
}

export interface RunningChatServer {
  app: App
  url: string
  database: Database<ChatDatabase>
  adminApiKey: string
  close(): Promise<void>
}

/** Opens the database (schema `chat`), applies migrations, builds the app and listens. */
export async function startChatServer(options: StartChatServerOptions = {}): Promise<RunningChatServer> {
  const { config, generatedAdminKey } = loadChatConfig(options.env ?? process.env)
  const logger = createLogger({
    service: 'chat-server',
    level: config.LOG_LEVEL as 'info',
    ...(config.LOG_FILE ? { destination: config.LOG_FILE } : {}),
    ...logShippingFromConfig(config),
  })
  // Before the database and Redis clients exist, so pg, ioredis and outgoing HTTP get spans.
  const tracing = startTracingFromConfig(config, 'chat-server', '0.1.0')
  // Slow SQL goes to the app's detector (SLOW_DB_MS), which exists once the app is built.
  let slow: SlowOperationDetector | undefined
  const onQuery = (query: QueryEvent) =>
    slow?.observe('db', query.durationMs, { 'db.statement': query.sql.slice(0, 1000), failed: query.failed })
  const onConnectionError = (error: Error) =>
    logger.warn({ err: error }, 'database connection lost; reconnecting')
  if (!config.DATABASE_URL && !options.pglite) await mkdir(config.DATA_DIR, { recursive: true })
  const database = await openDatabase<ChatDatabase>({
    schema: CHAT_SCHEMA,
    onQuery,
    onConnectionError,
    ...(config.DATABASE_URL
      ? { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }
      : options.pglite
        ? { pglite: options.pglite }
        : { dataDir: join(config.DATA_DIR, 'chat-pglite') }),
  })
  const writerDatabase = config.DATABASE_URL
    ? await openDatabase<ChatDatabase>({
        url: config.DATABASE_URL,
        schema: CHAT_SCHEMA,
        poolSize: config.MESSAGE_WRITER_LANES,
        onQuery,
        onConnectionError,
      })
    : undefined
  const applied = await migrateChatSchema(database, logger)
  logger.info({ applied }, 'chat migrations done')

  const realtime = options.realtime === undefined ? await defaultRealtime() : (options.realtime ?? undefined)
  const app = await buildChatApp({
    database,
    config,
    logger,
    ...(options.cache ? { cache: options.cache } : {}),
    ...(realtime ? { realtime } : {}),
    ...(writerDatabase ? { writerDatabase } : {}),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    tracing,
  })
  slow = app.slowOperations
  const address = await app.listen({
    port: options.port ?? config.CHAT_PORT ?? config.PORT,
    host: options.host ?? config.HOST,
  })
  await seedDemoWhenEmbedded(app.chat.services, logger)
  if (generatedAdminKey) {
    // Embedded mode without ADMIN_API_KEY: the operator needs the generated one to create apps.
    console.log(`ChatSDK admin API key (generated, set ADMIN_API_KEY to fix it): ${config.ADMIN_API_KEY}`)
  }
  return {
    app,
    url: address,
    database,
    adminApiKey: config.ADMIN_API_KEY,
    async close() {
      await app.close()
      await writerDatabase?.close()
      await database.close()
      await tracing.forceFlush()
      // Last: the lines of the shutdown itself reach Elasticsearch too.
      await shutdownLogger(logger)
    },
  }
}

async function defaultRealtime(): Promise<RealtimePlugin | undefined> {
  const realtime = (await import('./realtime/index.js')) as { realtimePlugin?: RealtimePlugin }
  return realtime.realtimePlugin
}
