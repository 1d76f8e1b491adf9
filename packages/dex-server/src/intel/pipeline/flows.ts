import { sql, type Transaction } from 'kysely'
import type { ChainEvent } from './events.js'
import { PoisonEvent } from './validate.js'

type Trx = Transaction<any>
export type SwapEvent = Extract<ChainEvent, { type: 'swap' }>
export type LiquidityEvent = Extract<ChainEvent, { type: 'liquidity.mint' | 'liquidity.burn' }>
/** The events that move a pool's reserves and volume: applied a run at a time (`applyFlows`). */
export type FlowEvent = SwapEvent | LiquidityEvent

export const isFlowEvent = (event: { type: string }): event is FlowEvent =>
  event.type === 'swap' || event.type === 'liquidity.mint' || event.type === 'liquidity.burn'

const lower = (address: string) => address.toLowerCase()

/** The consumer's row of a pool, as this transaction last wrote it. */
export interface PoolState {
  token0: string
  token1: string
  reserve0: bigint
  reserve1: bigint
  /** Position of the event the reserves come from (-1 before any). */
  lastBlock: number
  lastLogIndex: number
}

/** What `applyFlows` needs from the transaction's cache: pool rows, locked, read once. */
export interface PoolStates {
  /** The pools among `addresses` (lower case) that exist, each row locked for this transaction. */
  load(trx: Trx, addresses: readonly string[]): Promise<Map<string, PoolState>>
}

export interface Position {
  blockNumber: number
  logIndex: number
}

export const isBefore = (a: Position, b: Position) =>
  a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex)

/** One row of intel_pool_blocks as the run adds to it (summed flows, the closing reserves). */
interface PoolBlock {
  pool: string
  blockNumber: number
  time: string
  volume0: bigint
  volume1: bigint
  fees0: bigint
  fees1: bigint
  trades: number
  reserve0: bigint
  reserve1: bigint
  lastLogIndex: number
}

interface Counterparty {
  account: string
  pool: string
  trades: number
  firstBlock: number
  lastBlock: number
}

/** The 0.30% fee on an input amount, rounded down per swap (as the pair charges it). */
const feeOf = (amountIn: bigint) => (amountIn * 3n) / 1000n

/**
 * Applies a run of claimed swap and liquidity events, in order, with one statement per table
 * (the per-event version ran five per swap, which bounded the consumer's throughput and held
 * each batch's transaction open for as many round trips). The run is folded in memory from the
 * pools' locked rows, exactly as the events would have moved them one at a time:
 *  - a swap carries the pool's reserves after it: they replace the row's unless the row already
 *    holds a newer event's (a replayed older event never rewinds them);
 *  - a mint or burn carries amounts: the reserves move by them;
 *  - each (pool, block) sums volume, fees and trades, and closes on the reserves after the
 *    block's last event;
 *  - a swap whose recipient is an account (not the next pair of a multi-hop) is that account's
 *    trade, and counts towards its counterparty (the pool).
 * `checkOrder(event)` runs before each event (the caller's watermark: it throws on one out of
 * order). Throws `PoisonEvent` for an event of an unknown pool, before anything is written.
 */
export async function applyFlows(
  trx: Trx,
  events: readonly FlowEvent[],
  pools: PoolStates,
  checkOrder: (event: FlowEvent) => void,
): Promise<void> {
  if (events.length === 0) return
  const addresses = new Set<string>()
  for (const event of events) {
    addresses.add(lower(event.pool))
    if (event.type === 'swap') addresses.add(lower(event.recipient))
  }
  const states = await pools.load(trx, [...addresses])
  const touched = new Map<string, PoolState>()
  const blocks = new Map<string, PoolBlock>()
  const trades: Array<Record<string, string | number>> = []
  const counterparties = new Map<string, Counterparty>()

  for (const event of events) {
    checkOrder(event)
    const address = lower(event.pool)
    const pool = states.get(address)
    if (pool === undefined) {
      throw new PoisonEvent('unknown_pool', `no pool.created event seen for ${event.pool}`, '/pool')
    }
    touched.set(address, pool)
    const position = { blockNumber: event.blockNumber, logIndex: event.logIndex }
    let flow = { volume0: 0n, volume1: 0n, fees0: 0n, fees1: 0n, trades: 0 }
    if (event.type === 'swap') {
      if (isBefore({ blockNumber: pool.lastBlock, logIndex: pool.lastLogIndex }, position)) {
        pool.reserve0 = BigInt(event.reserve0)
        pool.reserve1 = BigInt(event.reserve1)
        pool.lastBlock = event.blockNumber
        pool.lastLogIndex = event.logIndex
      }
      const [in0, in1] = [BigInt(event.amount0In), BigInt(event.amount1In)]
      flow = {
        volume0: in0 + BigInt(event.amount0Out),
        volume1: in1 + BigInt(event.amount1Out),
        fees0: feeOf(in0),
        fees1: feeOf(in1),
        trades: 1,
      }
      noteTrade(event, pool, states, trades, counterparties)
    } else {
      const sign = event.type === 'liquidity.mint' ? 1n : -1n
      pool.reserve0 += sign * BigInt(event.amount0)
      pool.reserve1 += sign * BigInt(event.amount1)
      if (pool.lastBlock <= event.blockNumber) pool.lastLogIndex = event.logIndex
      pool.lastBlock = Math.max(pool.lastBlock, event.blockNumber)
    }
    addToBlock(blocks, event, pool, flow)
  }

  await writePools(trx, touched)
  await writePoolBlocks(trx, [...blocks.values()])
  await writeTrades(trx, trades)
  await writeCounterparties(trx, [...counterparties.values()])
}

function addToBlock(
  blocks: Map<string, PoolBlock>,
  event: FlowEvent,
  pool: PoolState,
  flow: { volume0: bigint; volume1: bigint; fees0: bigint; fees1: bigint; trades: number },
) {
  const key = `${lower(event.pool)}|${event.blockNumber}`
  const row = blocks.get(key) ?? {
    pool: lower(event.pool),
    blockNumber: event.blockNumber,
    time: event.time,
    volume0: 0n,
    volume1: 0n,
    fees0: 0n,
    fees1: 0n,
    trades: 0,
    reserve0: pool.reserve0,
    reserve1: pool.reserve1,
    lastLogIndex: -1,
  }
  row.volume0 += flow.volume0
  row.volume1 += flow.volume1
  row.fees0 += flow.fees0
  row.fees1 += flow.fees1
  row.trades += flow.trades
  if (event.logIndex > row.lastLogIndex) {
    row.reserve0 = pool.reserve0
    row.reserve1 = pool.reserve1
    row.lastLogIndex = event.logIndex
  }
  blocks.set(key, row)
}

function noteTrade(
  event: SwapEvent,
  pool: PoolState,
  states: Map<string, PoolState>,
  trades: Array<Record<string, string | number>>,
  counterparties: Map<string, Counterparty>,
) {
  const account = lower(event.recipient)
  // A multi-hop swap pays the next pair: that hop is not an account's trade.
  if (states.has(account)) return
  const zeroIn = BigInt(event.amount0In) > 0n
  trades.push({
    account,
    event_id: event.id,
    pool: lower(event.pool),
    block_number: event.blockNumber,
    log_index: event.logIndex,
    tx_hash: event.txHash,
    block_time: event.time,
    token_in: zeroIn ? pool.token0 : pool.token1,
    token_out: zeroIn ? pool.token1 : pool.token0,
    amount_in: zeroIn ? event.amount0In : event.amount1In,
    amount_out: zeroIn ? event.amount1Out : event.amount0Out,
  })
  const key = `${account}|${lower(event.pool)}`
  const seen = counterparties.get(key)
  if (seen) {
    seen.trades++
    seen.firstBlock = Math.min(seen.firstBlock, event.blockNumber)
    seen.lastBlock = Math.max(seen.lastBlock, event.blockNumber)
  } else {
    counterparties.set(key, {
      account,
      pool: lower(event.pool),
      trades: 1,
      firstBlock: event.blockNumber,
      lastBlock: event.blockNumber,
    })
  }
}

/** A column of values as one array parameter (node-postgres sends JS arrays as Postgres arrays). */
const column = <T>(rows: readonly T[], pick: (row: T) => string | number) => rows.map(pick)
const text = (value: bigint) => value.toString()

async function writePools(trx: Trx, touched: Map<string, PoolState>) {
  const rows = [...touched.entries()]
  if (rows.length === 0) return
  await sql`
    update intel_pools p set reserve0 = v.reserve0, reserve1 = v.reserve1,
      last_block = v.last_block, last_log_index = v.last_log_index
    from unnest(${column(rows, ([a]) => a)}::text[], ${column(rows, ([, s]) => text(s.reserve0))}::numeric[],
      ${column(rows, ([, s]) => text(s.reserve1))}::numeric[], ${column(rows, ([, s]) => s.lastBlock)}::bigint[],
      ${column(rows, ([, s]) => s.lastLogIndex)}::integer[])
      as v(pool, reserve0, reserve1, last_block, last_log_index)
    where p.pool = v.pool`.execute(trx)
}

async function writePoolBlocks(trx: Trx, rows: readonly PoolBlock[]) {
  if (rows.length === 0) return
  // Merges into a row an earlier batch wrote for the same block: flows add up, and the reserves
  // are the ones after the block's later event.
  await sql`
    insert into intel_pool_blocks (pool, block_number, block_time, volume0, volume1, fees0, fees1,
      trades, reserve0, reserve1, last_log_index)
    select * from unnest(${column(rows, (r) => r.pool)}::text[], ${column(rows, (r) => r.blockNumber)}::bigint[],
      ${column(rows, (r) => r.time)}::timestamptz[], ${column(rows, (r) => text(r.volume0))}::numeric[],
      ${column(rows, (r) => text(r.volume1))}::numeric[], ${column(rows, (r) => text(r.fees0))}::numeric[],
      ${column(rows, (r) => text(r.fees1))}::numeric[], ${column(rows, (r) => r.trades)}::integer[],
      ${column(rows, (r) => text(r.reserve0))}::numeric[], ${column(rows, (r) => text(r.reserve1))}::numeric[],
      ${column(rows, (r) => r.lastLogIndex)}::integer[])
    on conflict (pool, block_number) do update set
      volume0 = intel_pool_blocks.volume0 + excluded.volume0,
      volume1 = intel_pool_blocks.volume1 + excluded.volume1,
      fees0 = intel_pool_blocks.fees0 + excluded.fees0,
      fees1 = intel_pool_blocks.fees1 + excluded.fees1,
      trades = intel_pool_blocks.trades + excluded.trades,
      reserve0 = case when excluded.last_log_index > intel_pool_blocks.last_log_index
        then excluded.reserve0 else intel_pool_blocks.reserve0 end,
      reserve1 = case when excluded.last_log_index > intel_pool_blocks.last_log_index
        then excluded.reserve1 else intel_pool_blocks.reserve1 end,
      last_log_index = greatest(intel_pool_blocks.last_log_index, excluded.last_log_index)`.execute(trx)
}

async function writeTrades(trx: Trx, rows: ReadonlyArray<Record<string, string | number>>) {
  if (rows.length === 0) return
  await trx.insertInto('intel_account_trades').values(rows).execute()
}

async function writeCounterparties(trx: Trx, rows: readonly Counterparty[]) {
  if (rows.length === 0) return
  await sql`
    insert into intel_account_counterparties (account, counterparty, trades, first_block, last_block)
    select * from unnest(${column(rows, (r) => r.account)}::text[], ${column(rows, (r) => r.pool)}::text[],
      ${column(rows, (r) => r.trades)}::integer[], ${column(rows, (r) => r.firstBlock)}::bigint[],
      ${column(rows, (r) => r.lastBlock)}::bigint[])
    on conflict (account, counterparty) do update set
      trades = intel_account_counterparties.trades + excluded.trades,
      first_block = least(intel_account_counterparties.first_block, excluded.first_block),
      last_block = greatest(intel_account_counterparties.last_block, excluded.last_block)`.execute(trx)
}
