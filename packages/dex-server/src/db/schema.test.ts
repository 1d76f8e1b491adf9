import { createTestDatabase, type Database } from '@platform/service-kit/db'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDexSchema } from '../main.js'
import { CORE_COLUMNS } from './schema.js'

describe('DexDatabase', () => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase('dex_schema')
    await migrateDexSchema(database)
  })
  afterAll(async () => {
    await database?.close()
  })

  it('describes every column of the core tables exactly as the migrations create them', async () => {
    const tables = Object.keys(CORE_COLUMNS)
    const rows = await sql<{
      table_name: string
      column_name: string
      data_type: string
      is_nullable: string
    }>`
      select table_name, column_name, data_type, is_nullable from information_schema.columns
      where table_schema = ${database.schema} and table_name in (${sql.join(tables)})
      order by table_name, column_name`.execute(database.kysely)
    const migrated: Record<string, Record<string, { type: string; nullable: boolean }>> = {}
    for (const r of rows.rows) {
      migrated[r.table_name] ??= {}
      ;(migrated[r.table_name] as Record<string, unknown>)[r.column_name] = {
        type: r.data_type,
        nullable: r.is_nullable === 'YES',
      }
    }
    expect(migrated).toEqual(CORE_COLUMNS)
  })
})
