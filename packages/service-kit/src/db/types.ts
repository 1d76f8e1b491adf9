import type { Kysely } from 'kysely'

export type DatabaseDriver = 'pg' | 'pglite'

/** An open database whose unqualified table names resolve to `schema`. */
export interface Database {
  readonly kysely: Kysely<any>
  readonly schema: string
  readonly driver: DatabaseDriver
  /** Releases what this Database opened (a pool, or a PGlite it created; never a shared one). */
  close(): Promise<void>
}
