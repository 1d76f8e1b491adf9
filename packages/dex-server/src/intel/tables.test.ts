import { type SelectType, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabases } from '../indexer/test-support.js'
import type { IntelDb, IntelTables } from './tables.js'

type Udt = 'int4' | 'int8' | 'text' | 'numeric' | 'timestamptz' | 'jsonb' | 'bool' | '_text'

/**
 * Every column of a table interface, with its PostgreSQL type and whether it may be null. The
 * compiler makes this list name exactly the interface's columns, and `nullable` say `true` exactly
 * when the interface's select type admits null; the test then holds the migrations to it.
 */
type Columns<Tables> = {
  [T in keyof Tables]: {
    [C in keyof Tables[T]]-?: { udt: Udt; nullable: null extends SelectType<Tables[T][C]> ? true : false }
  }
}

const c = <N extends boolean>(udt: Udt, nullable: N) => ({ udt, nullable })
const INTEL: Columns<IntelTables> = {
  intel_outbox: {
    seq: c('int8', false),
    event_id: c('text', false),
    topic: c('text', false),
    payload: c('jsonb', false),
    created_at: c('timestamptz', false),
    published_at: c('timestamptz', true),
  },
  intel_pipeline_applied: {
    event_id: c('text', false),
    block_number: c('int8', false),
    applied_at: c('timestamptz', false),
  },
  intel_pipeline_watermark: {
    chain_id: c('int8', false),
    seq: c('int8', false),
    block_number: c('int8', false),
    log_index: c('int4', false),
    block_time: c('timestamptz', true),
    updated_at: c('timestamptz', false),
  },
  intel_pipeline_dlq: {
    id: c('int8', false),
    event_id: c('text', true),
    payload: c('jsonb', false),
    code: c('text', false),
    reason: c('text', false),
    attempts: c('int4', false),
    failed_at: c('timestamptz', false),
    resolved_at: c('timestamptz', true),
  },
  intel_pools: {
    pool: c('text', false),
    token0: c('text', false),
    token1: c('text', false),
    created_block: c('int8', false),
    reserve0: c('numeric', false),
    reserve1: c('numeric', false),
    last_block: c('int8', false),
    last_log_index: c('int4', false),
  },
  intel_pool_blocks: {
    pool: c('text', false),
    block_number: c('int8', false),
    block_time: c('timestamptz', false),
    volume0: c('numeric', false),
    volume1: c('numeric', false),
    fees0: c('numeric', false),
    fees1: c('numeric', false),
    trades: c('int4', false),
    reserve0: c('numeric', false),
    reserve1: c('numeric', false),
    last_log_index: c('int4', false),
  },
  intel_account_trades: {
    account: c('text', false),
    event_id: c('text', false),
    pool: c('text', false),
    block_number: c('int8', false),
    log_index: c('int4', false),
    tx_hash: c('text', false),
    block_time: c('timestamptz', false),
    token_in: c('text', false),
    token_out: c('text', false),
    amount_in: c('numeric', false),
    amount_out: c('numeric', false),
  },
  intel_account_counterparties: {
    account: c('text', false),
    counterparty: c('text', false),
    trades: c('int4', false),
    first_block: c('int8', false),
    last_block: c('int8', false),
  },
  intel_scan_cursor: { id: c('text', false), block_number: c('int8', false) },
  intel_txs: {
    hash: c('text', false),
    block_number: c('int8', false),
    tx_index: c('int4', false),
    from_address: c('text', false),
    to_address: c('text', true),
    value: c('numeric', false),
    selector: c('text', true),
    block_time: c('timestamptz', false),
  },
  intel_transfers: {
    block_number: c('int8', false),
    log_index: c('int4', false),
    tx_hash: c('text', false),
    token: c('text', false),
    from_address: c('text', false),
    to_address: c('text', false),
    value: c('numeric', false),
  },
  intel_mev: {
    id: c('int8', false),
    kind: c('text', false),
    block_number: c('int8', false),
    txs: c('_text', false),
    attacker: c('text', false),
    victim: c('text', true),
    pools: c('_text', false),
    profit_token: c('text', false),
    profit: c('numeric', false),
    profit_quote: c('numeric', true),
    details: c('jsonb', false),
  },
  intel_contracts: {
    address: c('text', false),
    analysis: c('jsonb', false),
    honeypot: c('bool', true),
    analyzed_at: c('timestamptz', false),
  },
  intel_clusters: {
    address: c('text', false),
    cluster_id: c('text', false),
    evidence: c('jsonb', false),
    computed_at: c('timestamptz', false),
  },
  intel_risk_findings: {
    address: c('text', false),
    code: c('text', false),
    weight: c('int4', false),
    detail: c('text', false),
    evidence: c('_text', false),
    detected_at: c('timestamptz', false),
  },
}

type Described = Record<string, Record<string, { udt: string; nullable: boolean }>>

describe('intel table types against the migrations, on a fresh schema', () => {
  let columns: Described
  let close: () => Promise<void>

  beforeAll(async () => {
    const dbs = await openTestDatabases('intel_tables', 1)
    close = dbs.close
    const db = dbs.databases[0] as (typeof dbs.databases)[number]
    const rows = await sql<{
      table_name: string
      column_name: string
      udt_name: string
      is_nullable: string
    }>`
      select table_name, column_name, udt_name, is_nullable from information_schema.columns
      where table_schema = ${db.schema} order by table_name, ordinal_position`.execute(db.kysely)
    columns = {}
    for (const r of rows.rows) {
      columns[r.table_name] ??= {}
      ;(columns[r.table_name] as Described[string])[r.column_name] = {
        udt: r.udt_name,
        nullable: r.is_nullable === 'YES',
      }
    }
  }, 60_000)

  afterAll(async () => close?.())

  it('IntelTables has every intel_ table of the migrations, each column with its type and nullability', () => {
    const migrated = Object.fromEntries(
      Object.entries(columns).filter(([table]) => table.startsWith('intel_')),
    )
    expect(migrated).toEqual(INTEL)
  })

  it('typed queries compile against it and run on the schema', async () => {
    const dbs = await openTestDatabases('intel_tables_query', 1)
    try {
      const db = dbs.databases[0]?.kysely as IntelDb
      await db
        .insertInto('intel_risk_findings')
        .values({ address: '0xa', code: 'wash_trading', weight: 60, detail: 'd', evidence: ['0x1'] })
        .execute()
      const row = await db
        .selectFrom('intel_risk_findings')
        .select(['address', 'weight', 'evidence', 'detected_at'])
        .executeTakeFirstOrThrow()
      expect(row).toMatchObject({ address: '0xa', weight: 60, evidence: ['0x1'] })
      expect(row.detected_at).toBeInstanceOf(Date)
    } finally {
      await dbs.close()
    }
  })
})
