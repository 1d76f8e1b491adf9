import { type Kysely, sql } from 'kysely'
import type { DexDatabase } from '../db/schema.js'

export type AccountActivity =
  | {
      kind: 'swap'
      txHash: string
      blockNumber: number
      logIndex: number
      time: string
      pool: string
      amount0In: string
      amount1In: string
      amount0Out: string
      amount1Out: string
    }
  | {
      kind: 'mint' | 'burn'
      txHash: string
      blockNumber: number
      logIndex: number
      time: string
      pool: string
      amount0: string
      amount1: string
      liquidity: string
    }

const ZERO = '0x0000000000000000000000000000000000000000'

/**
 * An account's swaps and liquidity changes, newest first, from the index. A swap is the
 * account's when it received the output (the Swap event's `to`); a mint when the LP tokens were
 * minted to it; a burn when it sent LP tokens to the pool to burn. Swaps paid out in native ETH
 * name the router as `to` (it unwraps WETH), so they are not found here.
 */
export async function accountActivity(
  db: Kysely<DexDatabase>,
  account: string,
  options: { limit: number; before?: number | undefined },
): Promise<AccountActivity[]> {
  const owner = account.toLowerCase()
  const before = options.before ?? Number.MAX_SAFE_INTEGER
  const swaps = await db
    .selectFrom('swaps')
    .select([
      'tx_hash',
      'block_number',
      'log_index',
      'block_time',
      'pool',
      'amount0_in',
      'amount1_in',
      'amount0_out',
      'amount1_out',
    ])
    .where('recipient', '=', owner)
    .where('block_number', '<', before)
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .limit(options.limit)
    .execute()
  const liquidity = await sql<{
    kind: 'mint' | 'burn'
    tx_hash: string
    block_number: string | number
    log_index: number
    block_time: string | Date
    pool: string
    amount0: string
    amount1: string
    liquidity: string
  }>`
    SELECT e.kind, e.tx_hash, e.block_number, e.log_index, e.block_time, e.pool, e.amount0, e.amount1,
      t.value AS liquidity
    FROM liquidity_events e
    JOIN lp_transfers t ON t.tx_hash = e.tx_hash AND t.pool = e.pool
    WHERE e.block_number < ${before} AND (
      (e.kind = 'mint' AND t.from_address = ${ZERO} AND t.to_address = ${owner})
      OR (e.kind = 'burn' AND t.from_address = ${owner} AND t.to_address = e.pool))
    ORDER BY e.block_number DESC, e.log_index DESC
    LIMIT ${options.limit}`.execute(db)
  const iso = (value: unknown) => new Date(value as string).toISOString()
  const merged: AccountActivity[] = [
    ...swaps.map((s) => ({
      kind: 'swap' as const,
      txHash: s.tx_hash,
      blockNumber: Number(s.block_number),
      logIndex: s.log_index,
      time: iso(s.block_time),
      pool: s.pool,
      amount0In: String(s.amount0_in),
      amount1In: String(s.amount1_in),
      amount0Out: String(s.amount0_out),
      amount1Out: String(s.amount1_out),
    })),
    ...liquidity.rows.map((e) => ({
      kind: e.kind,
      txHash: e.tx_hash,
      blockNumber: Number(e.block_number),
      logIndex: e.log_index,
      time: iso(e.block_time),
      pool: e.pool,
      amount0: String(e.amount0),
      amount1: String(e.amount1),
      liquidity: String(e.liquidity),
    })),
  ]
  merged.sort((a, b) => b.blockNumber - a.blockNumber || b.logIndex - a.logIndex)
  return merged.slice(0, options.limit)
}
