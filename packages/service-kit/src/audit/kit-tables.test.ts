import { afterAll, beforeAll, expect, it } from 'vitest'
import { migrate } from '../db/migrate.js'
import { schemaDifferences } from '../db/schema-check.js'
import { createTestDatabase } from '../db/test-database.js'
import type { Database } from '../db/types.js'
import { kitTables } from './kit-tables.js'
import { kitMigrationsDir } from './migrations-dir.js'

let database: Database<unknown>
beforeAll(async () => {
  database = await createTestDatabase('kit_tables')
  await migrate(database, { dir: kitMigrationsDir })
})
afterAll(() => database.close())

it('describes exactly the tables the kit migrations build', async () => {
  expect(await schemaDifferences(database.kysely, database.schema, kitTables)).toEqual([])
})
