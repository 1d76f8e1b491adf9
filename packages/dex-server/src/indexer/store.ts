import { type Kysely, sql, type Transaction } from 'kysely'
import type { DexDatabase } from '../db/schema.js'
import { writeOutbox, writeReorgToOutbox } from '../intel/pipeline/outbox.js'
import { formatE18, parseE18, spotPriceE18 } from '../market/pricing.js'
import type { IndexBatch } from './batch.js'
import type { FactorySnapshot } from './bootstrap.js'
import { aggregateCandles, bucketOf, type CandleDelta, pricePoints } from './candles.js'
import type { TokenMetadata } from './token-metadata.js'

export interface Cursor {
  blockNumber: number
  blockHash: string
}

export interface CursorKey {
  id: string
  chainId: number
  factory: string
}

/** Another writer moved the cursor (a second replica): reload and carry on from there. */
export class CursorMovedError extends Error {}

/** The stored cursor belongs to another chain or factory: refuse to mix indexes. */
export class CursorMismatchError extends Error {}

const ROWS_PER_STATEMENT = 5_000
const iso = (seconds: number) => new Date(seconds * 1000).toISOString()
const str = (value: bigint) => value.toString()

export async function loadCursor(db: Kysely<DexDatabase>, key: CursorKey): Promise<Cursor | null> {
  const row = await db.selectFrom('indexer_cursor').selectAll().where('id', '=', key.id).executeTakeFirst()
  if (row === undefined) return null
  if (Number(row.chain_id) !== key.chainId || row.factory !== key.factory) {
    throw new CursorMismatchError(
      `index ${key.id} holds chain ${row.chain_id} factory ${row.factory}, not chain ${key.chainId} factory ${key.factory}`,
    )
  }
  return { blockNumber: Number(row.block_number), blockHash: row.block_hash }
}

async function lockCursor(
  trx: Transaction<DexDatabase>,
  key: CursorKey,
  expected: Cursor | null,
): Promise<void> {
  const row = await trx
    .selectFrom('indexer_cursor')
    .select(['block_number', 'block_hash'])
    .where('id', '=', key.id)
    .forUpdate()
    .executeTakeFirst()
  const current = row ? { blockNumber: Number(row.block_number), blockHash: row.block_hash } : null
  if (current?.blockNumber !== expected?.blockNumber || current?.blockHash !== expected?.blockHash) {
    throw new CursorMovedError(`cursor ${key.id} moved to ${current?.blockNumber ?? 'none'}`)
  }
}

async function saveCursor(trx: Transaction<DexDatabase>, key: CursorKey, cursor: Cursor): Promise<void> {
  await trx
    .insertInto('indexer_cursor')
    .values({
      id: key.id,
      chain_id: key.chainId,
      factory: key.factory,
      block_number: cursor.blockNumber,
      block_hash: cursor.blockHash,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        block_number: cursor.blockNumber,
        block_hash: cursor.blockHash,
        updated_at: sql`now()`,
      }),
    )
    .execute()
}

const PLAIN = /^[0-9A-Za-z.:+-]+$/

/** Column types whose values this module renders itself (numbers, bigint and ISO strings): always plain. */
const RENDERED = new Set(['bigint', 'integer', 'numeric', 'timestamptz'])

/**
 * A column as one Postgres array literal when every value is plain (numbers, hex, ISO times):
 * building the string here skips the driver's per-element quoting, which shows up in backfills.
 * Anything else (token names, nulls) goes to the driver as an array to escape. Text from the RPC
 * (hashes, addresses) is checked value by value; values rendered here need no check.
 */
function columnParam(values: unknown[], type: string): unknown {
  const rendered = RENDERED.has(type)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v === 'number') continue
    if (typeof v !== 'string' || v === 'NULL' || (!rendered && !PLAIN.test(v))) return values
  }
  return `{${values.join(',')}}`
}

/**
 * Inserts rows column-wise through unnest(): one parameter per column instead of one per value,
 * which keeps big backfill batches fast on both pg and PGlite.
 */
async function insertColumns(
  trx: Transaction<DexDatabase>,
  table: keyof DexDatabase,
  columns: Array<[name: string, type: string]>,
  rows: unknown[][],
  suffix = '',
): Promise<void> {
  const names = sql.raw(columns.map(([name]) => name).join(', '))
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const end = Math.min(rows.length, i + ROWS_PER_STATEMENT)
    const unnest = sql.join(
      columns.map(([, type], c) => {
        const values: unknown[] = new Array(end - i)
        for (let r = i; r < end; r++) values[r - i] = (rows[r] as unknown[])[c]
        return sql`${columnParam(values, type)}::${sql.raw(type)}[]`
      }),
    )
    await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${unnest}) ${sql.raw(suffix)}`.execute(
      trx,
    )
  }
}

/** Records block headers; a header seen again (after a reorg) replaces the stored one. */
async function upsertBlocks(
  trx: Transaction<DexDatabase>,
  headers: ReadonlyArray<{ number: number; hash: string; parentHash: string; timestamp: number }>,
  timeText: (seconds: number) => string,
): Promise<void> {
  await insertColumns(
    trx,
    'blocks',
    [
      ['number', 'bigint'],
      ['hash', 'text'],
      ['parent_hash', 'text'],
      ['timestamp', 'timestamptz'],
    ],
    headers.map((h) => [h.number, h.hash, h.parentHash, timeText(h.timestamp)]),
    'on conflict (number) do update set hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp',
  )
}

/** Writes one range in a single transaction, guarded by the cursor it was built on. */
export async function writeBatch(
  db: Kysely<DexDatabase>,
  key: CursorKey,
  expected: Cursor | null,
  batch: IndexBatch,
) {
  // Many rows share a block time: render each once.
  const times = new Map<number, string>()
  const timeOf = (seconds: number) => {
    let text = times.get(seconds)
    if (text === undefined) {
      text = iso(seconds)
      times.set(seconds, text)
    }
    return text
  }
  await db.transaction().execute(async (trx) => {
    await lockCursor(trx, key, expected)
    await upsertBlocks(trx, batch.headers, iso)
    await insertTokens(trx, batch.tokens)
    await insertColumns(
      trx,
      'pools',
      [
        ['address', 'text'],
        ['token0', 'text'],
        ['token1', 'text'],
        ['factory', 'text'],
        ['created_block', 'bigint'],
        ['created_tx', 'text'],
        ['updated_block', 'bigint'],
      ],
      batch.pools.map((p) => [
        p.pair,
        p.token0,
        p.token1,
        key.factory,
        p.blockNumber,
        p.txHash,
        p.blockNumber,
      ]),
    )
    await insertColumns(
      trx,
      'swaps',
      [
        ['block_number', 'bigint'],
        ['log_index', 'integer'],
        ['pool', 'text'],
        ['tx_hash', 'text'],
        ['block_time', 'timestamptz'],
        ['sender', 'text'],
        ['recipient', 'text'],
        ['tx_from', 'text'],
        ['tx_value', 'numeric'],
        ['amount0_in', 'numeric'],
        ['amount1_in', 'numeric'],
        ['amount0_out', 'numeric'],
        ['amount1_out', 'numeric'],
        ['reserve0', 'numeric'],
        ['reserve1', 'numeric'],
        ['price', 'numeric'],
      ],
      batch.swaps.map((s) => [
        s.blockNumber,
        s.logIndex,
        s.pool,
        s.txHash,
        timeOf(s.time),
        s.sender,
        s.recipient,
        s.txFrom,
        str(s.txValue),
        str(s.amount0In),
        str(s.amount1In),
        str(s.amount0Out),
        str(s.amount1Out),
        str(s.reserve0),
        str(s.reserve1),
        formatE18(s.priceE18),
      ]),
    )
    await insertColumns(
      trx,
      'syncs',
      [
        ['block_number', 'bigint'],
        ['log_index', 'integer'],
        ['pool', 'text'],
        ['reserve0', 'numeric'],
        ['reserve1', 'numeric'],
      ],
      batch.syncs.map((s) => [s.blockNumber, s.logIndex, s.pool, str(s.reserve0), str(s.reserve1)]),
    )
    await insertColumns(
      trx,
      'liquidity_events',
      [
        ['block_number', 'bigint'],
        ['log_index', 'integer'],
        ['pool', 'text'],
        ['tx_hash', 'text'],
        ['block_time', 'timestamptz'],
        ['kind', 'text'],
        ['sender', 'text'],
        ['recipient', 'text'],
        ['amount0', 'numeric'],
        ['amount1', 'numeric'],
      ],
      batch.liquidity.map((l) => [
        l.blockNumber,
        l.logIndex,
        l.pool,
        l.txHash,
        timeOf(l.time),
        l.kind,
        l.sender,
        l.recipient,
        str(l.amount0),
        str(l.amount1),
      ]),
    )
    await insertColumns(
      trx,
      'lp_transfers',
      [
        ['block_number', 'bigint'],
        ['log_index', 'integer'],
        ['pool', 'text'],
        ['tx_hash', 'text'],
        ['from_address', 'text'],
        ['to_address', 'text'],
        ['value', 'numeric'],
      ],
      batch.transfers.map((t) => [t.blockNumber, t.logIndex, t.pool, t.txHash, t.from, t.to, str(t.value)]),
    )
    if (batch.poolUpdates.length > 0) {
      const u = batch.poolUpdates
      await sql`
        update pools set reserve0 = u.reserve0, reserve1 = u.reserve1, total_supply = u.total_supply,
          updated_block = u.updated_block
        from unnest(${u.map((p) => p.address)}::text[], ${u.map((p) => str(p.reserve0))}::numeric[],
          ${u.map((p) => str(p.reserve1))}::numeric[], ${u.map((p) => str(p.totalSupply))}::numeric[],
          ${u.map((p) => p.updatedBlock)}::bigint[]) as u(address, reserve0, reserve1, total_supply, updated_block)
        where pools.address = u.address`.execute(trx)
    }
    await insertCandles(trx, batch.candles)
    await writeOutbox(trx, key.chainId, batch)
    await saveCursor(trx, key, { blockNumber: batch.to.number, blockHash: batch.to.hash })
  })
}

async function insertTokens(trx: Transaction<DexDatabase>, tokens: TokenMetadata[]): Promise<void> {
  await insertColumns(
    trx,
    'tokens',
    [
      ['address', 'text'],
      ['symbol', 'text'],
      ['name', 'text'],
      ['decimals', 'integer'],
      ['metadata_ok', 'boolean'],
    ],
    tokens.map((t) => [t.address, t.symbol, t.name, t.decimals, t.metadataOk]),
    'on conflict (address) do nothing',
  )
}

/** Merges candle deltas into the stored candles: open kept, high/low widened, close replaced, sums added. */
async function insertCandles(trx: Transaction<DexDatabase>, deltas: CandleDelta[]): Promise<void> {
  await insertColumns(
    trx,
    'candles',
    [
      ['pool', 'text'],
      ['interval', 'text'],
      ['bucket_start', 'timestamptz'],
      ['open', 'numeric'],
      ['high', 'numeric'],
      ['low', 'numeric'],
      ['close', 'numeric'],
      ['volume0', 'numeric'],
      ['volume1', 'numeric'],
      ['fees0', 'numeric'],
      ['fees1', 'numeric'],
      ['trades', 'integer'],
    ],
    deltas.map((c) => [
      c.pool,
      c.interval,
      iso(c.bucket),
      formatE18(c.open),
      formatE18(c.high),
      formatE18(c.low),
      formatE18(c.close),
      str(c.volume0),
      str(c.volume1),
      str(c.fees0),
      str(c.fees1),
      c.trades,
    ]),
    `on conflict (pool, interval, bucket_start) do update set
       high = greatest(candles.high, excluded.high), low = least(candles.low, excluded.low),
       close = excluded.close, volume0 = candles.volume0 + excluded.volume0,
       volume1 = candles.volume1 + excluded.volume1, fees0 = candles.fees0 + excluded.fees0,
       fees1 = candles.fees1 + excluded.fees1, trades = candles.trades + excluded.trades`,
  )
}

/**
 * Starts an index from a factory snapshot (the block before INDEXER_START_BLOCK): the pairs that
 * existed then, their tokens, reserves and LP supply, the block's header and the cursor on it, in
 * one transaction. Guarded like a range: it fails if another writer created the cursor first.
 */
export async function writeSnapshot(
  db: Kysely<DexDatabase>,
  key: CursorKey,
  snapshot: FactorySnapshot,
  tokens: TokenMetadata[],
): Promise<void> {
  const { block, pools } = snapshot
  await db.transaction().execute(async (trx) => {
    await lockCursor(trx, key, null)
    await upsertBlocks(trx, [block], iso)
    await insertTokens(trx, tokens)
    await insertColumns(
      trx,
      'pools',
      [
        ['address', 'text'],
        ['token0', 'text'],
        ['token1', 'text'],
        ['factory', 'text'],
        ['created_block', 'bigint'],
        ['reserve0', 'numeric'],
        ['reserve1', 'numeric'],
        ['total_supply', 'numeric'],
        ['updated_block', 'bigint'],
      ],
      pools.map((p) => [
        p.pair,
        p.token0,
        p.token1,
        key.factory,
        block.number,
        str(p.reserve0),
        str(p.reserve1),
        str(p.totalSupply),
        block.number,
      ]),
    )
    await insertColumns(
      trx,
      'pool_snapshots',
      [
        ['pool', 'text'],
        ['block_number', 'bigint'],
        ['reserve0', 'numeric'],
        ['reserve1', 'numeric'],
        ['total_supply', 'numeric'],
      ],
      pools.map((p) => [p.pair, block.number, str(p.reserve0), str(p.reserve1), str(p.totalSupply)]),
    )
    await saveCursor(trx, key, { blockNumber: block.number, blockHash: block.hash })
  })
}

/** Stored headers at or below `below`, newest first: candidates for the fork point. */
export async function storedBlocks(db: Kysely<DexDatabase>, below: number, limit: number) {
  const rows = await db
    .selectFrom('blocks')
    .select(['number', 'hash'])
    .where('number', '<=', below)
    .orderBy('number', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ number: Number(r.number), hash: r.hash as string }))
}

/**
 * Undoes everything above `fork` in one transaction: events, pools born later, reserves and LP
 * supply recomputed from what remains, candles rebuilt from the remaining swaps. A null fork
 * empties the index (no stored block survived the reorg).
 */
export async function rollbackTo(
  db: Kysely<DexDatabase>,
  key: CursorKey,
  expected: Cursor | null,
  fork: Cursor | null,
): Promise<void> {
  const above = fork?.blockNumber ?? -1
  const factory = key.factory
  await db.transaction().execute(async (trx) => {
    await lockCursor(trx, key, expected)
    const first = await sql<{ t: string | null }>`
      select least(
        (select min(block_time) from swaps where block_number > ${above}
           and pool in (select address from pools where factory = ${factory})),
        (select min(b.timestamp) from syncs s join blocks b on b.number = s.block_number
           where s.block_number > ${above} and s.pool in (select address from pools where factory = ${factory}))
      ) as t`.execute(trx)
    // Other factories indexed into the same database keep their rows: only this index rolls back.
    for (const table of ['swaps', 'syncs', 'liquidity_events', 'lp_transfers'] as const) {
      await trx
        .deleteFrom(table)
        .where('block_number', '>', above)
        .where((eb) =>
          eb('pool', 'in', eb.selectFrom('pools').select('address').where('factory', '=', factory)),
        )
        .execute()
    }
    // Headers are shared by every index of the chain; above the fork they are all stale.
    await trx.deleteFrom('blocks').where('number', '>', above).execute()
    await trx.deleteFrom('pools').where('created_block', '>', above).where('factory', '=', factory).execute()
    await sql`
      update pools set
        reserve0 = coalesce(s.reserve0, snap.reserve0, 0), reserve1 = coalesce(s.reserve1, snap.reserve1, 0),
        total_supply = coalesce(snap.total_supply, 0) + coalesce((
          select sum(case when t.from_address = '0x0000000000000000000000000000000000000000' then t.value
                          when t.to_address = '0x0000000000000000000000000000000000000000' then -t.value
                          else 0 end)
          from lp_transfers t where t.pool = pools.address), 0),
        updated_block = greatest(pools.created_block, coalesce(s.block_number, 0), coalesce((
          select max(block_number) from lp_transfers t where t.pool = pools.address), 0))
      from pools p left join pool_snapshots snap on snap.pool = p.address left join lateral (
        select reserve0, reserve1, block_number from syncs
        where syncs.pool = p.address order by block_number desc, log_index desc limit 1) s on true
      where pools.address = p.address and pools.updated_block > ${above} and pools.factory = ${factory}`.execute(
      trx,
    )
    await trx
      .deleteFrom('tokens')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('pools')
              .select('address')
              .where((eb) =>
                eb.or([
                  eb('pools.token0', '=', eb.ref('tokens.address')),
                  eb('pools.token1', '=', eb.ref('tokens.address')),
                ]),
              ),
          ),
        ),
      )
      .execute()
    const since = first.rows[0]?.t
    if (since !== null && since !== undefined) await rebuildCandles(trx, factory, new Date(since))
    await writeReorgToOutbox(trx, key.chainId, fork?.blockNumber ?? null)
    if (fork === null) await trx.deleteFrom('indexer_cursor').where('id', '=', key.id).execute()
    else await saveCursor(trx, key, fork)
  })
}

/**
 * Recomputes this factory's candles from the week bucket holding `since` on, out of the stored
 * swaps and syncs, with the same price points the indexer folds (so a rebuilt candle equals the
 * indexed one). Week buckets hold every shorter bucket whole, so one start serves every interval.
 */
async function rebuildCandles(trx: Transaction<DexDatabase>, factory: string, since: Date): Promise<void> {
  const from = bucketOf(Math.floor(since.getTime() / 1000), '1w')
  const fromIso = iso(from)
  const decimals = await sql<{ address: string; d0: number | null; d1: number | null }>`
    select p.address, t0.decimals as d0, t1.decimals as d1 from pools p
    join tokens t0 on t0.address = p.token0 join tokens t1 on t1.address = p.token1
    where p.factory = ${factory}`.execute(trx)
  const scale = new Map(decimals.rows.map((r) => [r.address, r]))
  const priceOf = (pool: string, reserve0: string, reserve1: string) => {
    const d = scale.get(pool)
    return spotPriceE18(BigInt(reserve0), BigInt(reserve1), d?.d0, d?.d1)
  }
  const swaps = await sql<{
    pool: string
    block_number: string
    log_index: number
    block_time: Date | string
    price: string
    amount0_in: string
    amount1_in: string
    amount0_out: string
    amount1_out: string
  }>`
    select pool, block_number, log_index, block_time, price, amount0_in, amount1_in, amount0_out, amount1_out
    from swaps where block_time >= ${fromIso}::timestamptz
      and pool in (select address from pools where factory = ${factory})
    order by block_number, log_index`.execute(trx)
  const syncs = await sql<{
    pool: string
    block_number: string
    log_index: number
    timestamp: Date | string
    reserve0: string
    reserve1: string
  }>`
    select s.pool, s.block_number, s.log_index, b.timestamp, s.reserve0, s.reserve1
    from syncs s join blocks b on b.number = s.block_number
    where b.timestamp >= ${fromIso}::timestamptz and s.pool in (select address from pools where factory = ${factory})
    order by s.block_number, s.log_index`.execute(trx)
  // Each pool's price going into the window: its last Sync before it.
  const last = await sql<{ pool: string; reserve0: string; reserve1: string }>`
    select distinct on (s.pool) s.pool, s.reserve0, s.reserve1
    from syncs s join blocks b on b.number = s.block_number
    where b.timestamp < ${fromIso}::timestamptz and s.pool in (select address from pools where factory = ${factory})
    order by s.pool, s.block_number desc, s.log_index desc`.execute(trx)
  // A pool read from a factory snapshot and not synced since goes in at the snapshot's price.
  const snapshots = await sql<{ pool: string; reserve0: string; reserve1: string }>`
    select pool, reserve0, reserve1 from pool_snapshots
    where reserve0 > 0 and pool in (select address from pools where factory = ${factory})`.execute(trx)
  const before = new Map(snapshots.rows.map((r) => [r.pool, priceOf(r.pool, r.reserve0, r.reserve1)]))
  for (const r of last.rows) before.set(r.pool, priceOf(r.pool, r.reserve0, r.reserve1))
  const seconds = (t: Date | string) => Math.floor(new Date(t).getTime() / 1000)
  const points = pricePoints(
    swaps.rows.map((r) => ({
      pool: r.pool,
      blockNumber: Number(r.block_number),
      logIndex: r.log_index,
      time: seconds(r.block_time),
      priceE18: parseE18(r.price),
      amount0In: BigInt(r.amount0_in),
      amount1In: BigInt(r.amount1_in),
      amount0Out: BigInt(r.amount0_out),
      amount1Out: BigInt(r.amount1_out),
    })),
    syncs.rows.map((r) => ({
      pool: r.pool,
      blockNumber: Number(r.block_number),
      logIndex: r.log_index,
      time: seconds(r.timestamp),
      priceE18: priceOf(r.pool, r.reserve0, r.reserve1),
    })),
    before,
  )
  await trx
    .deleteFrom('candles')
    .where('bucket_start', '>=', sql<Date>`${fromIso}::timestamptz`)
    .where((eb) => eb('pool', 'in', eb.selectFrom('pools').select('address').where('factory', '=', factory)))
    .execute()
  await insertCandles(trx, aggregateCandles(points))
}
