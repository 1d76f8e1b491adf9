import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'

/** Bounds of the read routes: no request scans more than this. */
export const MAX_TVL_HOURS = 24 * 14
export const MAX_TRADES = 200
/** Counterparties per account answer: default and most. */
export const COUNTERPARTIES = { default: 20, max: 200 }

export interface PoolAggregates {
  pool: string
  token0: string
  token1: string
  reserves: [string, string]
  volume24h: [string, string]
  fees24h: [string, string]
  trades24h: number
  tvlHistory: Array<{ hour: string; reserves: [string, string] }>
}

/** A pool's 24 h volume and fees (token base units) and its hourly closing reserves (TVL history). */
export async function poolAggregates(
  db: IntelDb,
  pool: string,
  hours: number,
): Promise<PoolAggregates | null> {
  const row = await db.selectFrom('intel_pools').selectAll().where('pool', '=', pool).executeTakeFirst()
  if (row === undefined) return null
  const day = await sql<Record<string, string>>`
    select coalesce(sum(volume0), 0) as v0, coalesce(sum(volume1), 0) as v1, coalesce(sum(fees0), 0) as f0,
      coalesce(sum(fees1), 0) as f1, coalesce(sum(trades), 0) as trades
    from intel_pool_blocks where pool = ${pool} and block_time >= now() - interval '24 hours'`.execute(db)
  const history = await sql<{ hour: Date | string; reserve0: string; reserve1: string }>`
    select distinct on (date_trunc('hour', block_time)) date_trunc('hour', block_time) as hour, reserve0, reserve1
    from intel_pool_blocks where pool = ${pool}
      and block_time >= now() - make_interval(hours => ${hours})
    order by date_trunc('hour', block_time), block_number desc`.execute(db)
  const d = day.rows[0] ?? {}
  return {
    pool,
    token0: row.token0,
    token1: row.token1,
    reserves: [String(row.reserve0), String(row.reserve1)],
    volume24h: [String(d.v0 ?? '0'), String(d.v1 ?? '0')],
    fees24h: [String(d.f0 ?? '0'), String(d.f1 ?? '0')],
    trades24h: Number(d.trades ?? 0),
    tvlHistory: history.rows.map((h) => ({
      hour: new Date(h.hour).toISOString(),
      reserves: [String(h.reserve0), String(h.reserve1)],
    })),
  }
}

export interface AccountAggregates {
  account: string
  trades: Array<{
    pool: string
    blockNumber: number
    logIndex: number
    txHash: string
    time: string
    tokenIn: string
    tokenOut: string
    amountIn: string
    amountOut: string
  }>
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextCursor: string | null
  counterparties: Array<{ address: string; trades: number; firstBlock: number; lastBlock: number }>
}

/** A trade page cursor: the last trade's block and log index (`block-logIndex`). */
export const TRADE_CURSOR_PATTERN = '^[0-9]{1,16}-[0-9]{1,9}$'

/**
 * An account's newest trades (at most `limit`; older than `before`, a previous page's
 * nextCursor, and below block `beforeBlock`) and its busiest counterparties (at most
 * `counterparties`). Both read off their index in order; the two queries run side by side.
 */
export async function accountAggregates(
  db: IntelDb,
  account: string,
  page: { limit: number; before?: string; beforeBlock?: number; counterparties: number },
): Promise<AccountAggregates> {
  let trades = db
    .selectFrom('intel_account_trades')
    .select([
      'pool',
      'block_number',
      'log_index',
      'tx_hash',
      'block_time',
      'token_in',
      'token_out',
      'amount_in',
      'amount_out',
    ])
    .where('account', '=', account)
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .limit(page.limit + 1)
  if (page.beforeBlock !== undefined) trades = trades.where('block_number', '<', String(page.beforeBlock))
  if (page.before !== undefined) {
    const [block, logIndex] = page.before.split('-') as [string, string]
    trades = trades.where(sql<boolean>`(block_number, log_index) < (${block}::bigint, ${logIndex}::integer)`)
  }
  const [rows, counterparties] = await Promise.all([
    trades.execute(),
    db
      .selectFrom('intel_account_counterparties')
      .select(['counterparty', 'trades', 'first_block', 'last_block'])
      .where('account', '=', account)
      .orderBy('trades', 'desc')
      .orderBy('counterparty')
      .limit(page.counterparties)
      .execute(),
  ])
  const shown = rows.slice(0, page.limit)
  const last = shown.at(-1)
  return {
    account,
    trades: shown.map((t) => ({
      pool: t.pool,
      blockNumber: Number(t.block_number),
      logIndex: Number(t.log_index),
      txHash: t.tx_hash,
      time: new Date(t.block_time).toISOString(),
      tokenIn: t.token_in,
      tokenOut: t.token_out,
      amountIn: String(t.amount_in),
      amountOut: String(t.amount_out),
    })),
    nextCursor: rows.length > page.limit && last ? `${last.block_number}-${last.log_index}` : null,
    counterparties: counterparties.map((c) => ({
      address: c.counterparty,
      trades: Number(c.trades),
      firstBlock: Number(c.first_block),
      lastBlock: Number(c.last_block),
    })),
  }
}
