import type { ColumnType, Generated, Kysely } from 'kysely'
import type { CoreTables, Int8, Numeric, Timestamp, TimestampDefault } from '../db/schema.js'

// Column types are the core's (db/schema.ts), so intel/ and the core read a column alike.
/** A JSON value other than null (every jsonb column here is NOT NULL). */
type Json = string | number | boolean | object
/** jsonb: read parsed, written as JSON text. */
type Jsonb = ColumnType<Json, string, string>
type Serial = ColumnType<string, never, never>

/** The tables of intel/'s own migrations (0012_intel.sql; indexes in 0015 and 0017). */
export interface IntelTables {
  intel_outbox: {
    seq: Serial
    event_id: string
    topic: string
    payload: Jsonb
    created_at: TimestampDefault
    published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  }
  intel_pipeline_applied: {
    event_id: string
    block_number: Int8
    applied_at: TimestampDefault
  }
  intel_pipeline_watermark: {
    chain_id: Int8
    seq: Int8
    block_number: Int8
    log_index: number
    block_time: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
    updated_at: TimestampDefault
  }
  intel_pipeline_dlq: {
    id: Serial
    event_id: string | null
    payload: Jsonb
    code: string
    reason: string
    attempts: Generated<number>
    failed_at: TimestampDefault
    resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  }
  intel_pools: {
    pool: string
    token0: string
    token1: string
    created_block: Int8
    reserve0: ColumnType<string, bigint | string | undefined, bigint | string>
    reserve1: ColumnType<string, bigint | string | undefined, bigint | string>
    last_block: ColumnType<string, number | bigint | string | undefined, number | bigint | string>
    last_log_index: Generated<number>
  }
  intel_pool_blocks: {
    pool: string
    block_number: Int8
    block_time: Timestamp
    volume0: ColumnType<string, bigint | string | undefined, bigint | string>
    volume1: ColumnType<string, bigint | string | undefined, bigint | string>
    fees0: ColumnType<string, bigint | string | undefined, bigint | string>
    fees1: ColumnType<string, bigint | string | undefined, bigint | string>
    trades: Generated<number>
    reserve0: Numeric
    reserve1: Numeric
    last_log_index: number
  }
  intel_account_trades: {
    account: string
    event_id: string
    pool: string
    block_number: Int8
    log_index: number
    tx_hash: string
    block_time: Timestamp
    token_in: string
    token_out: string
    amount_in: Numeric
    amount_out: Numeric
  }
  intel_account_counterparties: {
    account: string
    counterparty: string
    trades: number
    first_block: Int8
    last_block: Int8
  }
  intel_scan_cursor: {
    id: string
    block_number: Int8
  }
  intel_txs: {
    hash: string
    block_number: Int8
    tx_index: number
    from_address: string
    to_address: string | null
    value: Numeric
    selector: string | null
    block_time: Timestamp
  }
  intel_transfers: {
    block_number: Int8
    log_index: number
    tx_hash: string
    token: string
    from_address: string
    to_address: string
    value: Numeric
  }
  intel_mev: {
    id: Serial
    kind: 'sandwich' | 'arbitrage'
    block_number: Int8
    txs: string[]
    attacker: string
    victim: string | null
    pools: string[]
    profit_token: string
    profit: Numeric
    profit_quote: ColumnType<string | null, bigint | string | null, bigint | string | null>
    details: Jsonb
  }
  intel_contracts: {
    address: string
    analysis: Jsonb
    honeypot: boolean | null
    analyzed_at: TimestampDefault
  }
  intel_clusters: {
    address: string
    cluster_id: string
    evidence: Jsonb
    computed_at: TimestampDefault
  }
  intel_risk_findings: {
    address: string
    code: string
    weight: number
    detail: string
    evidence: string[]
    detected_at: TimestampDefault
  }
}

/** intel/'s own tables and the core tables it reads (swaps and pools), typed by the core. */
export type IntelDatabase = IntelTables & Pick<CoreTables, 'swaps' | 'pools'>
export type IntelDb = Kysely<IntelDatabase>

/**
 * The DEX's database as intel/ sees it. The kit hands out an untyped `Kysely<any>`; this is the
 * one place intel/ gives it its types.
 */
export const intelDb = (deps: { db: { kysely: Kysely<any> } }): IntelDb => deps.db.kysely
