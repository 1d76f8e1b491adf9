import { type Kysely, sql } from 'kysely'
import type { Address } from 'viem'
import type { DexDatabase } from '../db/schema.js'

/**
 * One swap of the account: a single pool, or a multi-hop path (hop i pays its output straight to
 * the pool of hop i + 1, as the v2 router does). In is what the first hop took, out what the last
 * hop paid; `logIndex` is the last hop's.
 */
export interface SwapActivity {
  kind: 'swap'
  txHash: string
  blockNumber: number
  logIndex: number
  time: string
  /** The first hop's pool. */
  pool: string
  /** Every hop's pool, in path order. */
  pools: string[]
  tokenIn: Address
  amountIn: string
  tokenOut: Address
  amountOut: string
  /** The last hop's `to`: the router when it paid the output out in native ETH. */
  recipient: string
  /** The transaction's sender; null for swaps indexed before the indexer recorded it. */
  txFrom: string | null
  /** The input was native ETH: the router wrapped the ETH the transaction sent into WETH. */
  nativeIn: boolean
  /** The output was native ETH: the last hop paid WETH to the router, which unwrapped it. */
  nativeOut: boolean
}

/**
 * The chain's WETH and router. The pair only ever sees WETH: a router ETH path shows as WETH
 * paid in by a transaction that sent value, or WETH paid out to the router.
 */
export interface NativeEthContracts {
  weth: string
  router: string
}

export interface LiquidityActivity {
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

export type AccountActivity = SwapActivity | LiquidityActivity

const ZERO = '0x0000000000000000000000000000000000000000'

interface SwapHop {
  tx_hash: string
  block_number: string | number
  log_index: number
  block_time: string | Date
  pool: string
  recipient: string
  tx_from: string | null
  tx_value: string | null
  amount0_in: string
  amount1_in: string
  amount0_out: string
  amount1_out: string
  token0: string
  token1: string
}

const iso = (value: unknown) => new Date(value as string).toISOString()

/**
 * An account's swaps and liquidity changes, newest first, from the index. A swap is the
 * account's when it sent the transaction (tx.from) or received the output (the last hop's `to`):
 * swaps paid out in native ETH (the router is `to`) are found by their sender, and a swap paid to
 * a third party shows for both. The hops of one multi-hop path are one entry. A mint is the
 * account's when the LP tokens were minted to it; a burn when it sent LP tokens to the pool to
 * burn. `before` pages by block: only entries in blocks below it.
 */
export async function accountActivity(
  db: Kysely<DexDatabase>,
  contracts: NativeEthContracts,
  account: string,
  options: { limit: number; before?: number | undefined },
): Promise<AccountActivity[]> {
  const owner = account.toLowerCase()
  const before = options.before ?? Number.MAX_SAFE_INTEGER
  const [swaps, liquidity] = await Promise.all([
    accountSwaps(db, contracts, owner, before, options.limit),
    sql<{
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
    LIMIT ${options.limit}`.execute(db),
  ])
  const merged: AccountActivity[] = [
    ...swaps,
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

/**
 * The newest `limit` transactions in which the account received a swap's output or that it
 * sent (each side read through its own index, newest first), then every swap of those
 * transactions, folded into paths. Each transaction yields at least one entry of the account.
 */
async function accountSwaps(
  db: Kysely<DexDatabase>,
  contracts: NativeEthContracts,
  owner: string,
  before: number,
  limit: number,
): Promise<SwapActivity[]> {
  const txs = await sql<{ block_number: string | number; tx_hash: string }>`
    (SELECT block_number, tx_hash FROM swaps WHERE recipient = ${owner} AND block_number < ${before}
      GROUP BY block_number, tx_hash ORDER BY block_number DESC LIMIT ${limit})
    UNION
    (SELECT block_number, tx_hash FROM swaps WHERE tx_from = ${owner} AND block_number < ${before}
      GROUP BY block_number, tx_hash ORDER BY block_number DESC LIMIT ${limit})`.execute(db)
  if (txs.rows.length === 0) return []
  const hops = await sql<SwapHop>`
    SELECT s.tx_hash, s.block_number, s.log_index, s.block_time, s.pool, s.recipient, s.tx_from, s.tx_value,
      s.amount0_in, s.amount1_in, s.amount0_out, s.amount1_out, p.token0, p.token1
    FROM swaps s JOIN pools p ON p.address = s.pool
    WHERE s.block_number IN (${sql.join([...new Set(txs.rows.map((t) => Number(t.block_number)))])})
      AND s.tx_hash IN (${sql.join(txs.rows.map((t) => t.tx_hash))})
    ORDER BY s.block_number, s.log_index`.execute(db)
  return swapPaths(hops.rows)
    .filter((path) => {
      const last = path.at(-1) as SwapHop
      return last.tx_from === owner || last.recipient === owner
    })
    .map((path) => toActivity(path, contracts))
}

/**
 * Groups one or more transactions' swaps (in chain order) into paths: a swap whose pool received
 * the previous swap's output in the same transaction continues that swap's path.
 */
export function swapPaths<H extends { tx_hash: string; pool: string; recipient: string }>(hops: H[]): H[][] {
  const paths: H[][] = []
  const waiting = new Map<string, H[]>()
  for (const hop of hops) {
    const key = (address: string) => `${hop.tx_hash}:${address}`
    let path = waiting.get(key(hop.pool))
    if (path) waiting.delete(key(hop.pool))
    else {
      path = []
      paths.push(path)
    }
    path.push(hop)
    waiting.set(key(hop.recipient), path)
  }
  return paths
}

/** A hop's input and output side: the token it paid out on net is the output. */
function sides(hop: SwapHop) {
  const outIs1 = BigInt(hop.amount1_out) > BigInt(hop.amount1_in)
  return outIs1
    ? { tokenIn: hop.token0, amountIn: hop.amount0_in, tokenOut: hop.token1, amountOut: hop.amount1_out }
    : { tokenIn: hop.token1, amountIn: hop.amount1_in, tokenOut: hop.token0, amountOut: hop.amount0_out }
}

function toActivity(path: SwapHop[], contracts: NativeEthContracts): SwapActivity {
  const first = path[0] as SwapHop
  const last = path.at(-1) as SwapHop
  const input = sides(first)
  const output = sides(last)
  const weth = contracts.weth.toLowerCase()
  return {
    kind: 'swap',
    txHash: last.tx_hash,
    blockNumber: Number(last.block_number),
    logIndex: last.log_index,
    time: iso(last.block_time),
    pool: first.pool,
    pools: path.map((h) => h.pool),
    tokenIn: input.tokenIn as Address,
    amountIn: String(input.amountIn),
    tokenOut: output.tokenOut as Address,
    amountOut: String(output.amountOut),
    recipient: last.recipient,
    txFrom: last.tx_from,
    // Rows indexed before migration 0019 have no value: their ETH input reads as WETH.
    nativeIn: input.tokenIn === weth && BigInt(last.tx_value ?? 0) > 0n,
    nativeOut: output.tokenOut === weth && last.recipient === contracts.router.toLowerCase(),
  }
}
