import type { Kysely } from 'kysely'

export type DatabaseDriver = 'pg' | 'pglite'

/**
 * An open database whose unqualified table names resolve to `schema`. `DB` is the product's
 * database interface (e.g. `Database<ChatDatabase>`); callers not typed yet keep `any`.
 */
export interface Database<DB = any> {
  readonly kysely: Kysely<DB>
  readonly schema: string
  readonly driver: DatabaseDriver
  /** Releases what this Database opened (a pool, or a PGlite it created; never a shared one). */
  close(): Promise<void>
}
