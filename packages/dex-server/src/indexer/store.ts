import { type Kysely, sql, type Transaction } from 'kysely'
import { writeOutbox, writeReorgToOutbox } from '../intel/pipeline/outbox.js'
import { formatE18 } from '../market/pricing.js'
import type { IndexBatch } from './batch.js'
import { INTERVAL_NAMES, INTERVALS } from './candles.js'

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

export async function loadCursor(db: Kysely<any>, key: CursorKey): Promise<Cursor | null> {
  const row = await db.selectFrom('indexer_cursor').selectAll().where('id', '=', key.id).executeTakeFirst()
  if (row === undefined) return null
  if (Number(row.chain_id) !== key.chainId || row.factory !== key.factory) {
    throw new CursorMismatchError(
      `index ${key.id} holds chain ${row.chain_id} factory ${row.factory}, not chain ${key.chainId} factory ${key.factory}`,
    )
  }
  return { blockNumber: Number(row.block_number), blockHash: row.block_hash }
}

async function lockCursor(trx: Transaction<any>, key: CursorKey, expected: Cursor | null): Promise<void> {
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

async function saveCursor(trx: Transaction<any>, key: CursorKey, cursor: Cursor): Promise<void> {
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

/**
 * A column as one Postgres array literal when every value is plain (numbers, hex, ISO times):
 * building the string here skips the driver's per-element quoting, which shows up in backfills.
 * Anything else (token names, nulls) goes to the driver as an array to escape.
 */
function columnParam(values: unknown[]): unknown {
  const parts: string[] = new Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    const text = typeof v === 'number' ? String(v) : v
    if (typeof text !== 'string' || !PLAIN.test(text) || text === 'NULL') return values
    parts[i] = text
  }
  return `{${parts.join(',')}}`
}

/**
 * Inserts rows column-wise through unnest(): one parameter per column instead of one per value,
 * which keeps big backfill batches fast on both pg and PGlite.
 */
async function insertColumns(
  trx: Transaction<any>,
  table: string,
  columns: Array<[name: string, type: string]>,
  rows: unknown[][],
  suffix = '',
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT)
    const arrays = columns.map((_, c) => chunk.map((row) => row[c]))
    const names = sql.raw(columns.map(([name]) => name).join(', '))
    const unnest = sql.join(
      arrays.map((values, c) => sql`${columnParam(values)}::${sql.raw(columns[c]?.[1] ?? 'text')}[]`),
    )
    await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${unnest}) ${sql.raw(suffix)}`.execute(
      trx,
    )
  }
}

/** Writes one range in a single transaction, guarded by the cursor it was built on. */
export async function writeBatch(
  db: Kysely<any>,
  key: CursorKey,
  expected: Cursor | null,
  batch: IndexBatch,
) {
  await db.transaction().execute(async (trx) => {
    await lockCursor(trx, key, expected)
    await insertColumns(
      trx,
      'blocks',
      [
        ['number', 'bigint'],
        ['hash', 'text'],
        ['parent_hash', 'text'],
        ['timestamp', 'timestamptz'],
      ],
      batch.headers.map((h) => [h.number, h.hash, h.parentHash, iso(h.timestamp)]),
      'on conflict (number) do update set hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp',
    )
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
      batch.tokens.map((t) => [t.address, t.symbol, t.name, t.decimals, t.metadataOk]),
      'on conflict (address) do nothing',
    )
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
        iso(s.time),
        s.sender,
        s.recipient,
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
        iso(l.time),
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
      batch.candles.map((c) => [
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
    await writeOutbox(trx, key.chainId, batch)
    await saveCursor(trx, key, { blockNumber: batch.to.number, blockHash: batch.to.hash })
  })
}

/** Stored headers at or below `below`, newest first: candidates for the fork point. */
export async function storedBlocks(db: Kysely<any>, below: number, limit: number) {
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
  db: Kysely<any>,
  key: CursorKey,
  expected: Cursor | null,
  fork: Cursor | null,
): Promise<void> {
  const above = fork?.blockNumber ?? -1
  await db.transaction().execute(async (trx) => {
    await lockCursor(trx, key, expected)
    const first = await trx
      .selectFrom('swaps')
      .select(sql<string | null>`min(block_time)`.as('t'))
      .where('block_number', '>', above)
      .executeTakeFirst()
    for (const table of ['swaps', 'syncs', 'liquidity_events', 'lp_transfers', 'blocks']) {
      await trx
        .deleteFrom(table)
        .where(table === 'blocks' ? 'number' : 'block_number', '>', above)
        .execute()
    }
    await trx.deleteFrom('pools').where('created_block', '>', above).execute()
    await sql`
      update pools set
        reserve0 = coalesce(s.reserve0, 0), reserve1 = coalesce(s.reserve1, 0),
        total_supply = coalesce((
          select sum(case when t.from_address = '0x0000000000000000000000000000000000000000' then t.value
                          when t.to_address = '0x0000000000000000000000000000000000000000' then -t.value
                          else 0 end)
          from lp_transfers t where t.pool = pools.address), 0),
        updated_block = greatest(pools.created_block, coalesce(s.block_number, 0), coalesce((
          select max(block_number) from lp_transfers t where t.pool = pools.address), 0))
      from pools p left join lateral (
        select reserve0, reserve1, block_number from syncs
        where syncs.pool = p.address order by block_number desc, log_index desc limit 1) s on true
      where pools.address = p.address and pools.updated_block > ${above}`.execute(trx)
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
    const since = first?.t
    if (since !== null && since !== undefined) await rebuildCandles(trx, new Date(since))
    await writeReorgToOutbox(trx, key.chainId, fork?.blockNumber ?? null)
    if (fork === null) await trx.deleteFrom('indexer_cursor').where('id', '=', key.id).execute()
    else await saveCursor(trx, key, fork)
  })
}

/** Recomputes every candle bucket from `since` on out of the stored swaps. */
async function rebuildCandles(trx: Transaction<any>, since: Date): Promise<void> {
  for (const interval of INTERVAL_NAMES) {
    const seconds = INTERVALS[interval]
    const from = new Date(Math.floor(since.getTime() / 1000 / seconds) * seconds * 1000).toISOString()
    await trx
      .deleteFrom('candles')
      .where('interval', '=', interval)
      .where('bucket_start', '>=', sql<Date>`${from}::timestamptz`)
      .execute()
    await sql`
      insert into candles (pool, interval, bucket_start, open, high, low, close, volume0, volume1,
        fees0, fees1, trades)
      select pool, ${interval}, bucket,
        (array_agg(price order by block_number, log_index))[1], max(price), min(price),
        (array_agg(price order by block_number desc, log_index desc))[1],
        sum(amount0_in + amount0_out), sum(amount1_in + amount1_out),
        sum(div(amount0_in * 3, 1000)), sum(div(amount1_in * 3, 1000)), count(*)
      from (
        select *, to_timestamp(floor(extract(epoch from block_time) / ${seconds}) * ${seconds}) as bucket
        from swaps where block_time >= ${from}::timestamptz) s
      group by pool, bucket`.execute(trx)
  }
}
