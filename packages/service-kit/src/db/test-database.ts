import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { openDatabase } from './open-database.js'
import type { Database } from './types.js'

/**
 * An isolated Database for one test file: a unique schema on DATABASE_URL (dropped on close), or a
 * fresh in-memory PGlite when DATABASE_URL is not set.
 */
export async function createTestDatabase<DB = any>(
  prefix: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Database<DB>> {
  const base = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40)
  const schema = `t_${base}_${randomBytes(5).toString('hex')}`
  const url = env.DATABASE_URL
  const database = await openDatabase<DB>(url ? { url, schema, poolSize: 4 } : { schema })
  if (database.driver === 'pglite') return database
  return {
    ...database,
    async close() {
      try {
        await sql.raw(`drop schema if exists "${schema}" cascade`).execute(database.kysely)
      } finally {
        await database.close()
      }
    },
  }
}
