/**
 * Row counts and content checksums of every table in a database's application schemas, for
 * comparing a restore or a promoted standby with its source. The checksum is the md5 of every
 * row's text form in a fixed order, so one changed value anywhere changes it.
 */
import pg from 'pg'

export interface TableFingerprint {
  table: string
  rows: number
  md5: string
}

export async function fingerprint(url: string): Promise<TableFingerprint[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
       order by 1, 2`,
    )
    const out: TableFingerprint[] = []
    for (const { schema, name } of tables.rows) {
      const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`
      const { rows } = await client.query<{ rows: string; md5: string | null }>(
        `select count(*)::text as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${qualified} t`,
      )
      out.push({ table: `${schema}.${name}`, rows: Number(rows[0]?.rows), md5: rows[0]?.md5 ?? '' })
    }
    return out
  } finally {
    await client.end()
  }
}

/** Tables whose count or checksum differ (or exist on one side only). */
export function differences(source: TableFingerprint[], copy: TableFingerprint[]): string[] {
  const byName = new Map(copy.map((t) => [t.table, t]))
  const problems: string[] = []
  for (const table of source) {
    const other = byName.get(table.table)
    if (!other) problems.push(`${table.table}: missing in the copy`)
    else if (other.rows !== table.rows)
      problems.push(`${table.table}: ${table.rows} rows, copy ${other.rows}`)
    else if (other.md5 !== table.md5) problems.push(`${table.table}: same row count, different content`)
    byName.delete(table.table)
  }
  for (const extra of byName.keys()) problems.push(`${extra}: only in the copy`)
  return problems
}
