import type { PGlite } from '@electric-sql/pglite'
import { type Dialect, Kysely, type KyselyConfig, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { assertSchemaName } from './identifiers.js'
import { SharedPgliteDialect } from './pglite-dialect.js'
import { createPglite } from './pglite-instance.js'
import type { Database } from './types.js'

export interface OpenDatabaseOptions {
  /** postgres:// URL; without it the database is an embedded PGlite. */
  url?: string
  /** Schema that unqualified table names resolve to; created when missing. */
  schema: string
  /** PGlite data directory (embedded mode only); omitted means in memory. */
  dataDir?: string
  /** A PGlite shared with other Databases (one schema each); it is not closed by close(). */
  pglite?: PGlite
  /** pg pool size. */
  poolSize?: number
  /** Called after every query, e.g. `(q) => app.slowOperations.observe('db', q.durationMs, { statement: q.sql })`. */
  onQuery?: (query: QueryEvent) => void
  /**
   * Told when a pooled connection dies while idle (the server restarted, a failover moved the
   * address, a proxy cut it). The pool drops that connection and opens a new one for the next query.
   */
  onConnectionError?: (error: Error) => void
}

export interface QueryEvent {
  sql: string
  durationMs: number
  failed: boolean
}

/**
 * Opens `options.schema`. `DB` types its tables: the caller's migrations build them, and a schema
 * test (`schemaDifferences`) keeps the two in step.
 */
export async function openDatabase<DB = any>(options: OpenDatabaseOptions): Promise<Database<DB>> {
  const schema = assertSchemaName(options.schema)
  const database = options.url ? openPg(options, schema) : await openPglite(options, schema)
  try {
    await prepareSchema(database)
  } catch (error) {
    await database.close()
    throw error
  }
  // the tables were built by migrations the compiler cannot see: DB is the caller's word for them
  return database as unknown as Database<DB>
}

function kyselyConfig(dialect: Dialect, onQuery: OpenDatabaseOptions['onQuery']): KyselyConfig {
  if (!onQuery) return { dialect }
  return {
    dialect,
    log: (event) =>
      onQuery({
        sql: event.query.sql,
        durationMs: event.queryDurationMillis,
        failed: event.level === 'error',
      }),
  }
}

function openPg(options: OpenDatabaseOptions, schema: string): Database<unknown> {
  // search_path travels in the startup packet, so every pooled connection starts in `schema`.
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${schema},public`,
  })
  // A connection that dies emits 'error' on its client, checked out (between the statements of a
  // transaction) or idle (then pg re-emits it on the pool). Unheard, either ends the process: a
  // database failover would take every server down. Each client reports its own loss once; the
  // pool's copy of the idle case is the same error, heard and dropped. The pool discards the dead
  // client on release and opens a new connection for the next query.
  pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)))
  pool.on('error', () => {})
  const kysely = new Kysely<unknown>(kyselyConfig(new PostgresDialect({ pool }), options.onQuery))
  return { kysely, schema, driver: 'pg', close: () => kysely.destroy() }
}

async function openPglite(options: OpenDatabaseOptions, schema: string): Promise<Database<unknown>> {
  const owned = !options.pglite
  const pglite = options.pglite ?? (await createPglite(options.dataDir ? { dataDir: options.dataDir } : {}))
  const closeOwned = async () => {
    if (owned && !pglite.closed) await pglite.close()
  }
  const kysely = new Kysely<unknown>(
    kyselyConfig(new SharedPgliteDialect(pglite, schema, closeOwned), options.onQuery),
  )
  return { kysely, schema, driver: 'pglite', close: () => kysely.destroy() }
}

/**
 * Creates the schema and makes pg_trgm available in `public` (on every search_path), under a
 * transaction-scoped advisory lock so parallel openers do not race on the catalogs.
 */
async function prepareSchema(database: Database<unknown>): Promise<void> {
  await database.kysely.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('platform:prepare-schema'))`.execute(trx)
    await sql.raw(`create schema if not exists "${database.schema}"`).execute(trx)
    await sql.raw('create extension if not exists pg_trgm with schema public').execute(trx)
  })
}
