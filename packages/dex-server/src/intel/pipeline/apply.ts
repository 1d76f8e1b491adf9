import { sql, type Transaction } from 'kysely'
import type { ChainEvent, PipelineEvent } from './events.js'
import { PoisonEvent } from './validate.js'

type Trx = Transaction<any>
type SwapEvent = Extract<ChainEvent, { type: 'swap' }>
type LiquidityEvent = Extract<ChainEvent, { type: 'liquidity.mint' | 'liquidity.burn' }>

const lower = (address: string) => address.toLowerCase()
/** Sentinel log index for "after every log of the block" (a reorg's fork block). */
const END_OF_BLOCK = 2_147_483_647

interface Watermark {
  blockNumber: number
  logIndex: number
}

export async function loadWatermark(trx: Trx, chainId: number): Promise<Watermark | null> {
  const row = await trx
    .selectFrom('intel_pipeline_watermark')
    .select(['block_number', 'log_index'])
    .where('chain_id', '=', chainId)
    .executeTakeFirst()
  return row ? { blockNumber: Number(row.block_number), logIndex: Number(row.log_index) } : null
}

async function saveWatermark(trx: Trx, event: PipelineEvent, position: Watermark, time: string | null) {
  const values = {
    chain_id: event.chainId,
    seq: event.seq ?? 0,
    block_number: position.blockNumber,
    log_index: position.logIndex,
    block_time: time,
  }
  await trx
    .insertInto('intel_pipeline_watermark')
    .values(values)
    .onConflict((oc) => oc.column('chain_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute()
}

type PoolTokens = { token0: string; token1: string }

/**
 * What one transaction learned while applying events: a batch reads each chain's watermark and
 * each pool once, and writes each chain's watermark once (`flush`, before the commit). Made per
 * transaction, so a rolled-back batch leaves nothing behind in it.
 */
export class ApplyCache {
  private readonly marks = new Map<number, Watermark | null>()
  private readonly unsaved = new Map<
    number,
    { event: PipelineEvent; position: Watermark; time: string | null }
  >()
  private readonly pools = new Map<string, PoolTokens | null>()

  async watermark(trx: Trx, chainId: number): Promise<Watermark | null> {
    if (!this.marks.has(chainId)) this.marks.set(chainId, await loadWatermark(trx, chainId))
    return this.marks.get(chainId) ?? null
  }

  moveWatermark(event: PipelineEvent, position: Watermark, time: string | null): void {
    this.marks.set(event.chainId, position)
    this.unsaved.set(event.chainId, { event, position, time })
  }

  /** The pool's tokens, or null when no such pool exists. */
  async pool(trx: Trx, address: string): Promise<PoolTokens | null> {
    if (!this.pools.has(address)) {
      const row = await trx
        .selectFrom('intel_pools')
        .select(['token0', 'token1'])
        .where('pool', '=', address)
        .executeTakeFirst()
      this.pools.set(address, (row as PoolTokens | undefined) ?? null)
    }
    return this.pools.get(address) ?? null
  }

  /** Pools were created or deleted: read them again. */
  forgetPool(address?: string): void {
    if (address === undefined) this.pools.clear()
    else this.pools.delete(address)
  }

  async flush(trx: Trx): Promise<void> {
    for (const { event, position, time } of this.unsaved.values()) {
      await saveWatermark(trx, event, position, time)
    }
    this.unsaved.clear()
  }
}

/** Claims the event id; false when it was applied before (a redelivery or a republish). */
export async function claimEvent(trx: Trx, id: string, blockNumber: number): Promise<boolean> {
  const inserted = await trx
    .insertInto('intel_pipeline_applied')
    .values({ event_id: id, block_number: blockNumber })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst()
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0
}

const before = (a: Watermark, b: Watermark) =>
  a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex)

/**
 * Applies one new (already claimed) event to the aggregates. In order mode an event older than
 * the watermark is refused; a replay from the DLQ (`inOrder: false`) is applied where it falls.
 * The watermark moves in `cache`: call `cache.flush(trx)` before committing.
 */
export async function applyEvent(
  trx: Trx,
  event: PipelineEvent,
  inOrder: boolean,
  cache: ApplyCache,
): Promise<void> {
  if (event.type === 'reorg') return applyReorg(trx, event.forkBlock, event, cache)
  const position = { blockNumber: event.blockNumber, logIndex: event.logIndex }
  const watermark = await cache.watermark(trx, event.chainId)
  if (inOrder && watermark && before(position, watermark)) {
    throw new PoisonEvent(
      'out_of_order',
      `block ${event.blockNumber} log ${event.logIndex} is behind the applied block ${watermark.blockNumber} log ${watermark.logIndex}`,
      '/blockNumber',
    )
  }
  if (event.type === 'pool.created') {
    await trx
      .insertInto('intel_pools')
      .values({
        pool: lower(event.pool),
        token0: lower(event.token0),
        token1: lower(event.token1),
        created_block: event.blockNumber,
      })
      .onConflict((oc) => oc.column('pool').doNothing())
      .execute()
    cache.forgetPool(lower(event.pool))
  } else {
    const pool = await cache.pool(trx, lower(event.pool))
    if (pool === null) {
      throw new PoisonEvent('unknown_pool', `no pool.created event seen for ${event.pool}`, '/pool')
    }
    if (event.type === 'swap') await applySwap(trx, event, pool, cache)
    else await applyLiquidity(trx, event)
  }
  if (!watermark || !before(position, watermark)) {
    cache.moveWatermark(event, position, 'time' in event ? event.time : null)
  }
}

/** Sets the pool's reserves when the event is newer than the one they came from. */
async function moveReserves(trx: Trx, event: SwapEvent | LiquidityEvent, r0: unknown, r1: unknown) {
  await sql`
    update intel_pools set reserve0 = ${r0}, reserve1 = ${r1},
      last_block = ${event.blockNumber}, last_log_index = ${event.logIndex}
    where pool = ${lower(event.pool)}
      and (last_block, last_log_index) < (${event.blockNumber}::bigint, ${event.logIndex}::integer)`.execute(
    trx,
  )
}

async function addPoolBlock(
  trx: Trx,
  event: SwapEvent | LiquidityEvent,
  flow: { volume0: string; volume1: string; in0: string; in1: string; trades: number },
) {
  // The block closes on the pool's reserves as they are now (read in the same statement).
  await sql`
    insert into intel_pool_blocks (pool, block_number, block_time, volume0, volume1, fees0, fees1,
      trades, reserve0, reserve1, last_log_index)
    select p.pool, ${event.blockNumber}, ${event.time}::timestamptz, ${flow.volume0}::numeric,
      ${flow.volume1}::numeric, div(${flow.in0}::numeric * 3, 1000), div(${flow.in1}::numeric * 3, 1000),
      ${flow.trades}, p.reserve0, p.reserve1, ${event.logIndex}
    from intel_pools p where p.pool = ${lower(event.pool)}
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

async function applySwap(trx: Trx, event: SwapEvent, pool: PoolTokens, cache: ApplyCache) {
  await moveReserves(trx, event, event.reserve0, event.reserve1)
  await addPoolBlock(trx, event, {
    volume0: (BigInt(event.amount0In) + BigInt(event.amount0Out)).toString(),
    volume1: (BigInt(event.amount1In) + BigInt(event.amount1Out)).toString(),
    in0: event.amount0In,
    in1: event.amount1In,
    trades: 1,
  })
  const account = lower(event.recipient)
  // A multi-hop swap pays the next pair: that hop is not an account's trade.
  if ((await cache.pool(trx, account)) !== null) return
  const zeroIn = BigInt(event.amount0In) > 0n
  await trx
    .insertInto('intel_account_trades')
    .values({
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
    .execute()
  await sql`
    insert into intel_account_counterparties (account, counterparty, trades, first_block, last_block)
    values (${account}, ${lower(event.pool)}, 1, ${event.blockNumber}, ${event.blockNumber})
    on conflict (account, counterparty) do update set trades = intel_account_counterparties.trades + 1,
      first_block = least(intel_account_counterparties.first_block, excluded.first_block),
      last_block = greatest(intel_account_counterparties.last_block, excluded.last_block)`.execute(trx)
}

async function applyLiquidity(trx: Trx, event: LiquidityEvent) {
  const sign = event.type === 'liquidity.mint' ? '+' : '-'
  // A mint or burn carries amounts, not reserves: move the pool's reserves by them.
  await sql`
    update intel_pools set reserve0 = reserve0 ${sql.raw(sign)} ${event.amount0}::numeric,
      reserve1 = reserve1 ${sql.raw(sign)} ${event.amount1}::numeric,
      last_block = greatest(last_block, ${event.blockNumber}),
      last_log_index = case when last_block > ${event.blockNumber} then last_log_index else ${event.logIndex} end
    where pool = ${lower(event.pool)}`.execute(trx)
  await addPoolBlock(trx, event, { volume0: '0', volume1: '0', in0: '0', in1: '0', trades: 0 })
}

/** Drops everything derived above the fork block and moves the watermark back to it. */
export async function applyReorg(
  trx: Trx,
  forkBlock: number | null,
  event: PipelineEvent,
  cache: ApplyCache,
): Promise<void> {
  const above = forkBlock ?? -1
  const touched = await trx
    .selectFrom('intel_account_trades')
    .select('account')
    .distinct()
    .where('block_number', '>', above)
    .execute()
  for (const table of ['intel_pool_blocks', 'intel_account_trades', 'intel_pipeline_applied']) {
    await trx.deleteFrom(table).where('block_number', '>', above).execute()
  }
  await trx.deleteFrom('intel_pools').where('created_block', '>', above).execute()
  // Reserves back to each pool's last block at or below the fork.
  await sql`
    update intel_pools p set reserve0 = coalesce(b.reserve0, 0), reserve1 = coalesce(b.reserve1, 0),
      last_block = coalesce(b.block_number, -1), last_log_index = coalesce(b.last_log_index, -1)
    from intel_pools q left join lateral (
      select reserve0, reserve1, block_number, last_log_index from intel_pool_blocks
      where pool = q.pool order by block_number desc limit 1) b on true
    where p.pool = q.pool and p.last_block > ${above}`.execute(trx)
  const accounts = touched.map((t) => t.account as string)
  if (accounts.length > 0) {
    await trx.deleteFrom('intel_account_counterparties').where('account', 'in', accounts).execute()
    await sql`
      insert into intel_account_counterparties (account, counterparty, trades, first_block, last_block)
      select account, pool, count(*), min(block_number), max(block_number) from intel_account_trades
      where account = any(${accounts}::text[]) group by account, pool`.execute(trx)
  }
  cache.forgetPool()
  cache.moveWatermark(event, { blockNumber: above, logIndex: END_OF_BLOCK }, null)
}
