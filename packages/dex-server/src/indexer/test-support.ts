import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { createPglite, type Database, migrate, openDatabase } from '@platform/service-kit/db'
import { sql } from 'kysely'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url))

/**
 * `count` migrated databases for one test file: unique schemas on DATABASE_URL (dropped by
 * close), or schemas of one shared in-memory PGlite (one instance per file, as PGlite is heavy).
 */
export async function openTestDatabases(prefix: string, count: number) {
  const suffix = randomBytes(4).toString('hex')
  const schemas = Array.from({ length: count }, (_, i) => `t_${prefix}_${suffix}_${i}`)
  const url = process.env.DATABASE_URL
  const pglite = url ? undefined : await createPglite()
  const databases: Database[] = []
  for (const schema of schemas) {
    const db = await openDatabase(url ? { url, schema, poolSize: 3 } : { schema, pglite })
    await migrate(db, { dir: MIGRATIONS_DIR })
    databases.push(db)
  }
  return {
    databases,
    async close() {
      for (const db of databases) {
        if (url) await sql.raw(`drop schema if exists "${db.schema}" cascade`).execute(db.kysely)
        await db.close()
      }
      await pglite?.close()
    },
  }
}

/** Schema name for a whole-server test on DATABASE_URL (the server migrates it itself). */
export const uniqueSchema = (prefix: string) => `t_${prefix}_${randomBytes(4).toString('hex')}`

export async function dropSchema(schema: string): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) return
  const db = await openDatabase({ url, schema, poolSize: 1 })
  try {
    await sql.raw(`drop schema if exists "${schema}" cascade`).execute(db.kysely)
  } finally {
    await db.close()
  }
}

/** Polls `probe` until it returns a value other than undefined/false. */
export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value as T
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Every indexed table, ordered, for comparing two indexes of the same chain. */
export async function dumpIndex(db: Database) {
  const tables: Record<string, string[]> = {
    tokens: ['address'],
    pools: ['address'],
    swaps: ['block_number', 'log_index'],
    syncs: ['block_number', 'log_index'],
    liquidity_events: ['block_number', 'log_index'],
    lp_transfers: ['block_number', 'log_index'],
    candles: ['pool', 'interval', 'bucket_start'],
  }
  const dump: Record<string, unknown[]> = {}
  for (const [table, order] of Object.entries(tables)) {
    let query = db.kysely.selectFrom(table).selectAll()
    for (const column of order) query = query.orderBy(column)
    dump[table] = await query.execute()
  }
  dump.cursor = await db.kysely
    .selectFrom('indexer_cursor')
    .select(['id', 'block_number', 'block_hash'])
    .execute()
  return dump
}
