export {
  type MigrateOptions,
  type MigrateResult,
  MigrationChecksumError,
  type MigrationLogger,
  migrate,
  migrateAll,
} from './migrate.js'
export { type OpenDatabaseOptions, openDatabase, type QueryEvent } from './open-database.js'
export { createPglite, openEmbeddedPglite, type PgliteOptions } from './pglite-instance.js'
export { createTestDatabase } from './test-database.js'
export type { Database, DatabaseDriver } from './types.js'
