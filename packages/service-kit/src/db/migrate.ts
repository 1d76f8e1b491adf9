import { type Kysely, sql } from 'kysely'
import { type MigrationFile, readMigrationFiles } from './migration-files.js'
import type { Database } from './types.js'

export interface MigrationLogger {
  info(details: object, message: string): void
}

export interface MigrateOptions {
  /** Folder of ordered `.sql` files. */
  dir: string
  logger?: MigrationLogger
}

export interface MigrateResult {
  applied: string[]
  alreadyApplied: number
}

export class MigrationChecksumError extends Error {
  constructor(readonly file: string) {
    super(`migration ${file} was edited after it was applied (checksum differs); add a new migration instead`)
    this.name = 'MigrationChecksumError'
  }
}

/**
 * Applies the pending migrations of `dir` to the database's schema, each in its own transaction,
 * while holding a session advisory lock so concurrent starters (replicas, test files) apply each
 * file once. Applied files are recorded with their sha256 in `schema_migrations`.
 */
export async function migrate<DB>(database: Database<DB>, options: MigrateOptions): Promise<MigrateResult> {
  const files = await readMigrationFiles(options.dir)
  const table = `"${database.schema}".schema_migrations`
  const lockKey = `platform:migrate:${database.schema}`
  // One pinned connection: a session advisory lock belongs to the connection that took it.
  return database.kysely.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${lockKey}))`.execute(conn)
    try {
      await sql
        .raw(
          `create table if not exists ${table} (
             name text primary key,
             checksum text not null,
             applied_at timestamptz not null default now())`,
        )
        .execute(conn)
      const applied = await appliedChecksums(conn, table)
      const pending = files.filter((file) => {
        const checksum = applied.get(file.name)
        if (checksum === undefined) return true
        if (checksum !== file.checksum) throw new MigrationChecksumError(file.name)
        return false
      })
      options.logger?.info(
        { schema: database.schema, pending: pending.length, alreadyApplied: files.length - pending.length },
        'migrations: starting',
      )
      for (const [index, file] of pending.entries()) {
        const started = performance.now()
        await applyOne(conn, table, file)
        options.logger?.info(
          {
            schema: database.schema,
            migration: file.name,
            step: `${index + 1}/${pending.length}`,
            durationMs: Math.round(performance.now() - started),
          },
          'migrations: applied',
        )
      }
      return { applied: pending.map((file) => file.name), alreadyApplied: files.length - pending.length }
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(conn)
    }
  })
}

/**
 * Applies several migration folders to one schema in the given order (e.g. the kit's tables, then
 * a product's); returns how many files were applied.
 */
export async function migrateAll<DB>(
  database: Database<DB>,
  dirs: string[],
  logger?: MigrationLogger,
): Promise<number> {
  let applied = 0
  for (const dir of dirs)
    applied += (await migrate(database, { dir, ...(logger ? { logger } : {}) })).applied.length
  return applied
}

async function appliedChecksums<DB>(conn: Kysely<DB>, table: string): Promise<Map<string, string>> {
  const { rows } = await sql<{
    name: string
    checksum: string
  }>`select name, checksum from ${sql.raw(table)}`.execute(conn)
  return new Map(rows.map((row) => [row.name, row.checksum]))
}

async function applyOne<DB>(conn: Kysely<DB>, table: string, file: MigrationFile): Promise<void> {
  try {
    await conn.transaction().execute(async (trx) => {
      await sql.raw(file.sql).execute(trx)
      await sql`insert into ${sql.raw(table)} (name, checksum) values (${file.name}, ${file.checksum})`.execute(
        trx,
      )
    })
  } catch (error) {
    throw new Error(`migration ${file.name} failed: ${(error as Error).message}`, { cause: error })
  }
}
