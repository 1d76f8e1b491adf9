import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createPglite,
  createTestDatabase,
  type Database,
  MigrationChecksumError,
  migrate,
  type OpenDatabaseOptions,
  openDatabase,
  type QueryEvent,
} from './index.js'

// One suite, run against every driver available: PGlite always, PostgreSQL when DATABASE_URL is set.
// The PGlite driver runs on one shared instance, the way `npm start` runs both products.
interface DriverUnderTest {
  name: string
  open(schema: string, extra?: Pick<OpenDatabaseOptions, 'onQuery'>): Promise<Database>
}

const url = process.env.DATABASE_URL
let sharedPglite: PGlite | undefined
const run = Math.random().toString(36).slice(2, 8)
const drivers: DriverUnderTest[] = [
  {
    name: 'pglite (shared instance)',
    open: (schema, extra) => openDatabase({ schema, pglite: sharedPglite!, ...extra }),
  },
  ...(url
    ? [{ name: 'pg', open: (schema: string, extra?: object) => openDatabase({ schema, url, ...extra }) }]
    : []),
]

beforeAll(async () => {
  sharedPglite = await createPglite()
})
afterAll(async () => {
  await sharedPglite?.close()
})

describe.each(drivers)('database contract on $name', (driver) => {
  const opened: Database[] = []
  let dir: string
  let counter = 0
  const open = async (schema?: string, extra?: Pick<OpenDatabaseOptions, 'onQuery'>) => {
    const database = await driver.open(schema ?? `c_${run}_${counter++}`, extra)
    opened.push(database)
    return database
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrations-'))
  })
  afterAll(async () => {
    for (const database of opened) {
      await sql.raw(`drop schema if exists "${database.schema}" cascade`).execute(database.kysely)
      await database.close()
    }
    await rm(dir, { recursive: true, force: true })
  })

  async function migrationsDir(files: Record<string, string>): Promise<string> {
    const folder = await mkdtemp(join(dir, 'm-'))
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text)
    return folder
  }

  it('resolves unqualified table names to each database schema', async () => {
    const a = await open()
    const b = await open()
    await sql`create table items (label text)`.execute(a.kysely)
    await sql`create table items (label text)`.execute(b.kysely)
    await a.kysely.insertInto('items').values({ label: 'from a' }).execute()
    await b.kysely.insertInto('items').values({ label: 'from b' }).execute()
    const inA = await sql<{ label: string }>`select label from ${sql.raw(`"${a.schema}"`)}.items`.execute(
      a.kysely,
    )
    const inB = await b.kysely.selectFrom('items').select('label').execute()
    expect(inA.rows).toEqual([{ label: 'from a' }])
    expect(inB).toEqual([{ label: 'from b' }])
  })

  it('keeps a transaction of one database apart from concurrent work of another', async () => {
    const a = await open()
    const b = await open()
    for (const database of [a, b]) await sql`create table events (n int)`.execute(database.kysely)
    let signalStarted!: () => void
    const aStarted = new Promise<void>((resolve) => {
      signalStarted = resolve
    })
    let releaseA!: () => void
    const aMayFinish = new Promise<void>((resolve) => {
      releaseA = resolve
    })
    // A inserts, waits while B writes, then rolls back. Had B's write slipped into A's session
    // transaction (one shared PGlite backend), the rollback would take B's row with it.
    const inA = a.kysely
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('events').values({ n: 1 }).execute()
        signalStarted()
        await aMayFinish
        throw new Error('roll back A')
      })
      .catch((error: Error) => error.message)
    await aStarted
    const inB = b.kysely.insertInto('events').values({ n: 10 }).execute()
    setImmediate(releaseA)
    expect(await inA).toBe('roll back A')
    await inB
    const rowsA = await a.kysely.selectFrom('events').select('n').execute()
    const rowsB = await b.kysely.selectFrom('events').select('n').execute()
    expect(rowsA).toEqual([])
    expect(rowsB.map((row) => row.n)).toEqual([10])
  })

  it('applies ordered migrations once and records their checksums', async () => {
    const database = await open()
    const folder = await migrationsDir({
      '0002_add_email.sql': 'alter table users add column email text;',
      '0001_users.sql':
        'create table users (id int primary key, name text not null);\ncreate index users_name on users (name);',
      'README.md': 'not a migration',
    })
    const messages: string[] = []
    const first = await migrate(database, {
      dir: folder,
      logger: { info: (_d, message) => messages.push(message) },
    })
    expect(first.applied).toEqual(['0001_users.sql', '0002_add_email.sql'])
    expect(messages.filter((message) => message === 'migrations: applied')).toHaveLength(2)
    const second = await migrate(database, { dir: folder })
    expect(second).toEqual({ applied: [], alreadyApplied: 2 })
    await database.kysely.insertInto('users').values({ id: 1, name: 'ada', email: 'a@example.org' }).execute()
    const recorded = await database.kysely
      .selectFrom('schema_migrations')
      .select(['name', 'checksum'])
      .orderBy('name')
      .execute()
    expect(recorded.map((row) => row.name)).toEqual(['0001_users.sql', '0002_add_email.sql'])
    for (const row of recorded) expect(row.checksum).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses an applied migration that was edited, naming the file', async () => {
    const database = await open()
    const folder = await migrationsDir({ '0001_t.sql': 'create table t (id int);' })
    await migrate(database, { dir: folder })
    await writeFile(join(folder, '0001_t.sql'), 'create table t (id bigint);')
    const failure = migrate(database, { dir: folder })
    await expect(failure).rejects.toBeInstanceOf(MigrationChecksumError)
    await expect(migrate(database, { dir: folder })).rejects.toThrow(/0001_t\.sql/)
  })

  it('rolls back a failing migration and does not record it', async () => {
    const database = await open()
    const folder = await migrationsDir({
      '0001_ok.sql': 'create table ok (id int);',
      '0002_broken.sql': 'create table half (id int);\nselect * from no_such_table;',
    })
    await expect(migrate(database, { dir: folder })).rejects.toThrow(/0002_broken\.sql/)
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = ${database.schema} order by table_name`.execute(
      database.kysely,
    )
    expect(tables.rows.map((row) => row.table_name)).toEqual(['ok', 'schema_migrations'])
  })

  it('applies each file once when two openers migrate the same schema concurrently', async () => {
    const first = await open()
    const second = await open(first.schema)
    const folder = await migrationsDir({ '0001_counter.sql': 'create table counter (id int);' })
    const results = await Promise.all([migrate(first, { dir: folder }), migrate(second, { dir: folder })])
    expect(results.map((result) => result.applied.length).sort()).toEqual([0, 1])
  })

  it('reports every query with its duration to onQuery (for slow-query warnings)', async () => {
    const events: QueryEvent[] = []
    const database = await open(undefined, { onQuery: (event) => events.push(event) })
    await sql`select 1 as one`.execute(database.kysely)
    await expect(sql`select * from missing_table`.execute(database.kysely)).rejects.toThrow()
    const mine = events.filter((event) => event.sql.includes('one') || event.sql.includes('missing_table'))
    expect(mine.map((event) => event.failed)).toEqual([false, true])
    for (const event of mine) expect(event.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('offers pg_trgm to products', async () => {
    const database = await open()
    const { rows } = await sql<{
      score: number
    }>`select similarity('soba noodles', 'soba nodles') as score`.execute(database.kysely)
    expect(rows[0]!.score).toBeGreaterThan(0.5)
  })

  it('returns int8 as a string and numeric as a string on every driver', async () => {
    const database = await open()
    const { rows } = await sql<{ big: string; amount: string }>`
      select 9007199254740993::int8 as big, 123456789012345678901234567890::numeric(78,0) as amount`.execute(
      database.kysely,
    )
    expect(rows[0]).toEqual({ big: '9007199254740993', amount: '123456789012345678901234567890' })
  })
})

describe.runIf(url)('createTestDatabase on DATABASE_URL', () => {
  it('isolates a unique schema and drops it on close', async () => {
    const database = await createTestDatabase('kit_db')
    expect(database.driver).toBe('pg')
    await sql`create table probe (id int)`.execute(database.kysely)
    await database.close()
    const observer = await openDatabase({ url: url!, schema: 'public' })
    try {
      const { rows } =
        await sql`select 1 from information_schema.schemata where schema_name = ${database.schema}`.execute(
          observer.kysely,
        )
      expect(rows).toHaveLength(0)
    } finally {
      await observer.close()
    }
  })
})

describe.runIf(url)('a pooled PostgreSQL connection that dies', () => {
  it('is reported and replaced, idle or inside a transaction, and the process keeps serving (a failover must not crash the server)', async () => {
    const lost: Error[] = []
    const database = await openDatabase({
      url: url!,
      schema: `kit_idle_${run}`,
      onConnectionError: (e) => lost.push(e),
    })
    const observer = await openDatabase({ url: url!, schema: 'public' })
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.kysely)
      // the connection is back in the pool, idle, when the server ends it (as a crash or failover does)
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(observer.kysely)
      await vi.waitFor(() => expect(lost).toHaveLength(1))
      const again = await sql<{ one: number }>`select 1 as one`.execute(database.kysely)
      expect(again.rows[0]?.one).toBe(1)

      // and one that dies checked out, between the statements of a transaction
      const inTransaction = database.kysely.transaction().execute(async (trx) => {
        const { rows: mine } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        await sql`select pg_terminate_backend(${mine[0]!.pid})`.execute(observer.kysely)
        await vi.waitFor(() => expect(lost).toHaveLength(2))
        await sql`select 1`.execute(trx)
      })
      await expect(inTransaction).rejects.toThrow()
      const afterwards = await sql<{ one: number }>`select 1 as one`.execute(database.kysely)
      expect(afterwards.rows[0]?.one).toBe(1)
    } finally {
      await sql.raw(`drop schema if exists kit_idle_${run} cascade`).execute(observer.kysely)
      await observer.close()
      await database.close()
    }
  })
})
