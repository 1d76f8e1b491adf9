import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bigint, integer, jsonb, text, textArray, timestamptz, tsvector, uuid } from './columns.js'
import { schemaDifferences } from './schema-check.js'
import { createTestDatabase } from './test-database.js'
import type { Database } from './types.js'

// The check is what stands between a schema description and a migration that drifted from it, so
// each kind of drift must be named, not only "something differs".
describe('schemaDifferences', () => {
  let database: Database<unknown>
  beforeAll(async () => {
    database = await createTestDatabase('schema_check')
    await sql`
      create table notes (
        id uuid primary key,
        body text not null,
        tags text[] not null default '{}',
        seq bigint,
        stars integer not null default 0,
        data jsonb,
        created_at timestamptz not null default now(),
        search tsvector generated always as (to_tsvector('simple', body)) stored
      )`.execute(database.kysely)
    await sql`create table extra (id bigserial primary key)`.execute(database.kysely)
  })
  afterAll(() => database.close())

  const notes = {
    id: uuid(),
    body: text(),
    tags: textArray().defaulted(),
    seq: bigint().nullable(),
    stars: integer().defaulted(),
    data: jsonb<object>().nullable(),
    created_at: timestamptz().defaulted(),
    search: tsvector().nullable().generated(),
  }

  it('finds nothing when the description matches, a bigserial counting as defaulted', async () => {
    expect(
      await schemaDifferences(database.kysely, database.schema, {
        notes,
        extra: { id: bigint().defaulted() },
      }),
    ).toEqual([])
  })

  it('names a renamed column, a wrong nullability, type and fill, and a table missing on either side', async () => {
    const { body: _renamed, ...rest } = notes
    const drifted = {
      notes: {
        ...rest,
        text: text(),
        seq: bigint(),
        stars: text().defaulted(),
        created_at: timestamptz(),
      },
      ghosts: { id: uuid() },
    }
    expect(await schemaDifferences(database.kysely, database.schema, drifted)).toEqual([
      'extra: table in the database, not in the description',
      'notes.body: column in the database, not in the description',
      'notes.seq: isNullable is true in the database, false in the description',
      'notes.stars: sqlType is integer in the database, text in the description',
      'notes.created_at: fill is default in the database, none in the description',
      'notes.text: column in the description, not in the database',
      'ghosts: table in the description, not in the database',
    ])
  })
})
