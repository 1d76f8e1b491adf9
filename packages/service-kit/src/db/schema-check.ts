import { type QueryExecutorProvider, sql } from 'kysely'
import type { ColumnFacts, Fill, SchemaDescription, SqlType } from './columns.js'

interface ColumnRow {
  table_name: string
  column_name: string
  data_type: string
  udt_name: string
  is_nullable: 'YES' | 'NO'
  column_default: string | null
  is_generated: 'ALWAYS' | 'NEVER'
  is_identity: 'YES' | 'NO'
}

/** The migrator's own ledger (migrate.ts): in every migrated schema, in no product's interface. */
const LEDGER = 'schema_migrations'

/**
 * Compares a schema description with what the migrations built in `schema` (information_schema):
 * tables, columns, broad type, nullability and whether the database fills a column. Returns one
 * line per difference, so a test can `expect(differences).toEqual([])` and read what drifted.
 */
export async function schemaDifferences(
  db: QueryExecutorProvider,
  schema: string,
  description: SchemaDescription,
): Promise<string[]> {
  const { rows } = await sql<ColumnRow>`
    select c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable, c.column_default,
           c.is_generated, c.is_identity
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = ${schema} and t.table_type = 'BASE TABLE' and c.table_name <> ${LEDGER}
    order by c.table_name, c.ordinal_position`.execute(db)
  const actual = new Map<string, Map<string, ColumnFacts>>()
  for (const row of rows) {
    const table = actual.get(row.table_name) ?? new Map<string, ColumnFacts>()
    table.set(row.column_name, factsOf(row))
    actual.set(row.table_name, table)
  }
  const differences: string[] = []
  for (const table of [...actual.keys()].filter((name) => !(name in description)).sort())
    differences.push(`${table}: table in the database, not in the description`)
  for (const [table, columns] of Object.entries(description)) {
    const built = actual.get(table)
    if (!built) {
      differences.push(`${table}: table in the description, not in the database`)
      continue
    }
    for (const name of [...built.keys()].filter((name) => !(name in columns)))
      differences.push(`${table}.${name}: column in the database, not in the description`)
    for (const [name, declared] of Object.entries(columns)) {
      const found = built.get(name)
      if (!found) {
        differences.push(`${table}.${name}: column in the description, not in the database`)
        continue
      }
      for (const fact of ['sqlType', 'isNullable', 'fill'] as const) {
        if (declared[fact] !== found[fact])
          differences.push(
            `${table}.${name}: ${fact} is ${found[fact]} in the database, ${declared[fact]} in the description`,
          )
      }
    }
  }
  return differences
}

const BROAD_TYPES: Record<string, SqlType> = {
  uuid: 'uuid',
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  boolean: 'boolean',
  'timestamp with time zone': 'timestamptz',
  jsonb: 'jsonb',
  tsvector: 'tsvector',
}

function factsOf(row: ColumnRow): ColumnFacts {
  // arrays are data_type ARRAY with the element type in udt_name behind an underscore (_text)
  const type = row.data_type === 'ARRAY' ? `${row.udt_name.slice(1)}[]` : row.data_type
  const fill: Fill =
    row.is_generated === 'ALWAYS'
      ? 'always'
      : row.column_default !== null || row.is_identity === 'YES'
        ? 'default'
        : 'none'
  return {
    // a type outside the families stays visible in the difference under its own name
    sqlType: BROAD_TYPES[type] ?? (type as SqlType),
    isNullable: row.is_nullable === 'YES',
    fill,
  }
}
