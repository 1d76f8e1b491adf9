/**
 * The DEX's SQL tables as Kysely types (`Kysely<DexDatabase>`), with a runtime description of the
 * same columns (`CORE_COLUMNS`) that `schema.test.ts` compares with a freshly migrated schema.
 * The two cannot drift apart silently: the description is type-checked against the interfaces
 * (every column, its SQL type and nullability), and the test checks it against the migrations.
 *
 * intel/ describes its own tables the same way (intel/tables.ts) and reads the core's through
 * these types.
 */

import type { KitDatabase } from '@platform/service-kit/audit'
import type { ColumnType, SelectType } from 'kysely'
import type { IntelTables } from '../intel/tables.js'

/** int8: pg reads it as a string (it may exceed 2^53), PGlite as a number; read it with Number(). */
export type Int8 = ColumnType<string | number, number | bigint | string, number | bigint | string>
/** numeric(78,0) amounts and decimal prices: exact decimal strings both ways. */
export type Numeric = ColumnType<string, string | bigint | number, string | bigint | number>
/** A numeric column with a default: may be left out of an insert. */
export type NumericDefault = ColumnType<
  string,
  string | bigint | number | undefined,
  string | bigint | number
>
export type Timestamp = ColumnType<Date, Date | string, Date | string>
/** A timestamptz column with a default (now()): may be left out of an insert. */
export type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>

export interface IndexerCursorTable {
  id: string
  chain_id: Int8
  factory: string
  block_number: Int8
  block_hash: string
  updated_at: TimestampDefault
}

/** The indexer's leader lease (one row per cursor id): see indexer/lease.ts. */
export interface IndexerLeaseTable {
  id: string
  holder: string
  acquired_at: TimestampDefault
  expires_at: Timestamp
}

export interface BlocksTable {
  number: Int8
  hash: string
  parent_hash: string
  timestamp: Timestamp
}

export interface TokensTable {
  address: string
  symbol: string | null
  name: string | null
  decimals: number | null
  metadata_ok: boolean
}

export interface PoolsTable {
  address: string
  token0: string
  token1: string
  factory: string
  created_block: Int8
  /** Null for a pool read from the factory's allPairs (created before INDEXER_START_BLOCK). */
  created_tx: string | null
  reserve0: NumericDefault
  reserve1: NumericDefault
  total_supply: NumericDefault
  updated_block: Int8
}

export interface PoolSnapshotsTable {
  pool: string
  block_number: Int8
  reserve0: Numeric
  reserve1: Numeric
  total_supply: Numeric
}

interface LogPosition {
  block_number: Int8
  log_index: number
  pool: string
}

export interface SwapsTable extends LogPosition {
  tx_hash: string
  block_time: Timestamp
  sender: string
  recipient: string
  /** The sender of the swap's transaction; null on rows indexed before migration 0016. */
  tx_from: string | null
  /** The wei the swap's transaction sent (tx.value); null on rows indexed before migration 0019. */
  tx_value: Numeric | null
  amount0_in: Numeric
  amount1_in: Numeric
  amount0_out: Numeric
  amount1_out: Numeric
  reserve0: Numeric
  reserve1: Numeric
  price: Numeric
}

export interface SyncsTable extends LogPosition {
  reserve0: Numeric
  reserve1: Numeric
}

export interface LiquidityEventsTable extends LogPosition {
  tx_hash: string
  block_time: Timestamp
  kind: 'mint' | 'burn'
  sender: string
  recipient: string | null
  amount0: Numeric
  amount1: Numeric
}

export interface LpTransfersTable extends LogPosition {
  tx_hash: string
  from_address: string
  to_address: string
  value: Numeric
}

export interface CandlesTable {
  pool: string
  interval: string
  bucket_start: Timestamp
  open: Numeric
  high: Numeric
  low: Numeric
  close: Numeric
  volume0: Numeric
  volume1: Numeric
  fees0: Numeric
  fees1: Numeric
  trades: number
}

export interface AccountWatchlistTable {
  address: string
  token: string
  created_at: TimestampDefault
}

export interface AccountPriceAlertsTable {
  id: string
  address: string
  base_token: string
  quote_token: string
  direction: 'above' | 'below'
  price: Numeric
  note: string | null
  created_at: TimestampDefault
  triggered_at: Timestamp | null
  triggered_price: Numeric | null
}

/** The tables of the DEX core (indexer, market, accounts). Sessions and nonces live in the cache. */
export interface CoreTables {
  indexer_cursor: IndexerCursorTable
  indexer_lease: IndexerLeaseTable
  blocks: BlocksTable
  tokens: TokensTable
  pools: PoolsTable
  pool_snapshots: PoolSnapshotsTable
  swaps: SwapsTable
  syncs: SyncsTable
  liquidity_events: LiquidityEventsTable
  lp_transfers: LpTransfersTable
  candles: CandlesTable
  account_watchlist: AccountWatchlistTable
  account_price_alerts: AccountPriceAlertsTable
}

/**
 * Every table of the DEX's database: the kit's (audit log, privacy requests), the core's, and
 * intel/'s own (intel/tables.ts); each set is checked against the migrations by its own test.
 */
export interface DexDatabase extends KitDatabase, CoreTables, IntelTables {}

/** What each SQL type (as information_schema names it) reads back as. */
interface SqlTypes {
  text: string
  bigint: string | number
  integer: number
  numeric: string
  'timestamp with time zone': Date
  boolean: boolean
  uuid: string
}
type SqlType = keyof SqlTypes

type Selected<C> = SelectType<C>
/** The SQL types a column of this TypeScript type may have (a union of literals is text). */
type SqlTypeFor<T> = { [K in SqlType]: [T] extends [SqlTypes[K]] ? K : never }[SqlType]
type Spec<C> = {
  type: SqlTypeFor<Exclude<Selected<C>, null>>
  nullable: null extends Selected<C> ? true : false
}
type Description<Tables> = { [T in keyof Tables]: { [C in keyof Tables[T]]-?: Spec<Tables[T][C]> } }

const col = <S extends SqlType, N extends boolean = false>(type: S, nullable?: N) =>
  ({ type, nullable: (nullable ?? false) as N }) as const

/** The core tables' columns, as the migrations must create them (checked by schema.test.ts). */
export const CORE_COLUMNS = {
  indexer_cursor: {
    id: col('text'),
    chain_id: col('bigint'),
    factory: col('text'),
    block_number: col('bigint'),
    block_hash: col('text'),
    updated_at: col('timestamp with time zone'),
  },
  indexer_lease: {
    id: col('text'),
    holder: col('text'),
    acquired_at: col('timestamp with time zone'),
    expires_at: col('timestamp with time zone'),
  },
  blocks: {
    number: col('bigint'),
    hash: col('text'),
    parent_hash: col('text'),
    timestamp: col('timestamp with time zone'),
  },
  tokens: {
    address: col('text'),
    symbol: col('text', true),
    name: col('text', true),
    decimals: col('integer', true),
    metadata_ok: col('boolean'),
  },
  pools: {
    address: col('text'),
    token0: col('text'),
    token1: col('text'),
    factory: col('text'),
    created_block: col('bigint'),
    created_tx: col('text', true),
    reserve0: col('numeric'),
    reserve1: col('numeric'),
    total_supply: col('numeric'),
    updated_block: col('bigint'),
  },
  pool_snapshots: {
    pool: col('text'),
    block_number: col('bigint'),
    reserve0: col('numeric'),
    reserve1: col('numeric'),
    total_supply: col('numeric'),
  },
  swaps: {
    block_number: col('bigint'),
    log_index: col('integer'),
    pool: col('text'),
    tx_hash: col('text'),
    block_time: col('timestamp with time zone'),
    sender: col('text'),
    recipient: col('text'),
    tx_from: col('text', true),
    tx_value: col('numeric', true),
    amount0_in: col('numeric'),
    amount1_in: col('numeric'),
    amount0_out: col('numeric'),
    amount1_out: col('numeric'),
    reserve0: col('numeric'),
    reserve1: col('numeric'),
    price: col('numeric'),
  },
  syncs: {
    block_number: col('bigint'),
    log_index: col('integer'),
    pool: col('text'),
    reserve0: col('numeric'),
    reserve1: col('numeric'),
  },
  liquidity_events: {
    block_number: col('bigint'),
    log_index: col('integer'),
    pool: col('text'),
    tx_hash: col('text'),
    block_time: col('timestamp with time zone'),
    kind: col('text'),
    sender: col('text'),
    recipient: col('text', true),
    amount0: col('numeric'),
    amount1: col('numeric'),
  },
  lp_transfers: {
    block_number: col('bigint'),
    log_index: col('integer'),
    pool: col('text'),
    tx_hash: col('text'),
    from_address: col('text'),
    to_address: col('text'),
    value: col('numeric'),
  },
  candles: {
    pool: col('text'),
    interval: col('text'),
    bucket_start: col('timestamp with time zone'),
    open: col('numeric'),
    high: col('numeric'),
    low: col('numeric'),
    close: col('numeric'),
    volume0: col('numeric'),
    volume1: col('numeric'),
    fees0: col('numeric'),
    fees1: col('numeric'),
    trades: col('integer'),
  },
  account_watchlist: {
    address: col('text'),
    token: col('text'),
    created_at: col('timestamp with time zone'),
  },
  account_price_alerts: {
    id: col('uuid'),
    address: col('text'),
    base_token: col('text'),
    quote_token: col('text'),
    direction: col('text'),
    price: col('numeric'),
    note: col('text', true),
    created_at: col('timestamp with time zone'),
    triggered_at: col('timestamp with time zone', true),
    triggered_price: col('numeric', true),
  },
} as const satisfies Description<CoreTables>
