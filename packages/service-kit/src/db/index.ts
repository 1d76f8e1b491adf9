// column builders as one namespace (`col.text().nullable()`): plain names such as `text` would crowd the kit's root

export type {
  Column,
  ColumnFacts,
  ColumnOf,
  DatabaseOf,
  Fill,
  JsonText,
  SchemaDescription,
  SqlType,
  TableDescription,
} from './columns.js'
export * as col from './columns.js'
export { GroupCommit, type GroupCommitOptions, type GroupCommitStats } from './group-commit.js'
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
export { schemaDifferences } from './schema-check.js'
export { createTestDatabase } from './test-database.js'
export type { Database, DatabaseDriver } from './types.js'
