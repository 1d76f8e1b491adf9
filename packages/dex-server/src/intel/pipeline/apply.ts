import { sql, type Transaction } from 'kysely'
import type { ChainEvent, PipelineEvent } from './events.js'
import {
  applyFlows,
  type FlowEvent,
  isBefore,
  isFlowEvent,
  type PoolState,
  type PoolStates,
} from './flows.js'
import { PoisonEvent } from './validate.js'

type Trx = Transaction<any>

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

/**
 * What one transaction learned while applying events: a batch reads each chain's watermark and
 * each pool once (locking the pool's row), and writes each chain's watermark once (`flush`,
 * before the commit). Made per transaction, so a rolled-back batch leaves nothing behind in it.
 */
export class ApplyCache implements PoolStates {
  private readonly marks = new Map<number, Watermark | null>()
  private readonly unsaved = new Map<
    number,
    { event: PipelineEvent; position: Watermark; time: string | null }
  >()
  private readonly pools = new Map<string, PoolState | null>()

  async watermark(trx: Trx, chainId: number): Promise<Watermark | null> {
    if (!this.marks.has(chainId)) this.marks.set(chainId, await loadWatermark(trx, chainId))
    return this.knownWatermark(chainId)
  }

  /** The chain's watermark as read or moved in this transaction (call `watermark` first). */
  knownWatermark(chainId: number): Watermark | null {
    return this.marks.get(chainId) ?? null
  }

  moveWatermark(event: PipelineEvent, position: Watermark, time: string | null): void {
    this.marks.set(event.chainId, position)
    this.unsaved.set(event.chainId, { event, position, time })
  }

  async load(trx: Trx, addresses: readonly string[]): Promise<Map<string, PoolState>> {
    const unknown = addresses.filter((a) => !this.pools.has(a)).sort()
    if (unknown.length > 0) {
      // Locked in address order, so two consumers that share pools wait rather than deadlock.
      const rows = await sql<{
        pool: string
        token0: string
        token1: string
        reserve0: string
        reserve1: string
        last_block: string
        last_log_index: number
      }>`
        select pool, token0, token1, reserve0, reserve1, last_block, last_log_index from intel_pools
        where pool = any(${unknown}::text[]) order by pool for update`.execute(trx)
      for (const address of unknown) this.pools.set(address, null)
      for (const row of rows.rows) {
        this.pools.set(row.pool, {
          token0: row.token0,
          token1: row.token1,
          reserve0: BigInt(row.reserve0),
          reserve1: BigInt(row.reserve1),
          lastBlock: Number(row.last_block),
          lastLogIndex: Number(row.last_log_index),
        })
      }
    }
    const found = new Map<string, PoolState>()
    for (const address of addresses) {
      const state = this.pools.get(address)
      if (state) found.set(address, state)
    }
    return found
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

/** The block a claim is filed under (a reorg's claim is dropped with the blocks above its fork). */
const claimBlock = (event: PipelineEvent) =>
  event.type === 'reorg' ? (event.forkBlock ?? -1) : event.blockNumber

/**
 * Claims the events' ids in one statement; answers, per event, whether it is new. An id applied
 * before (a redelivery or a republish), or earlier in `events`, is not.
 */
async function claimEvents(trx: Trx, events: readonly PipelineEvent[]): Promise<boolean[]> {
  const first = new Map<string, PipelineEvent>()
  for (const event of events) if (!first.has(event.id)) first.set(event.id, event)
  const unique = [...first.values()]
  const claimed = await sql<{ event_id: string }>`
    insert into intel_pipeline_applied (event_id, block_number)
    select * from unnest(${unique.map((e) => e.id)}::text[], ${unique.map(claimBlock)}::bigint[])
    on conflict (event_id) do nothing returning event_id`.execute(trx)
  const fresh = new Set(claimed.rows.map((r) => r.event_id))
  return events.map((event) => first.get(event.id) === event && fresh.has(event.id))
}

/**
 * Claims and applies events in order, inside the caller's transaction: each run of swaps and
 * liquidity events with a few statements in all (`applyFlows`), a pool creation or a reorg on
 * its own (a reorg drops the claims above its fork, so what follows it is claimed after it).
 * In order mode an event older than the watermark is poison; a replay from the DLQ
 * (`inOrder: false`) is applied where it falls. The watermark moves in `cache`: call
 * `cache.flush(trx)` before committing.
 */
export async function applyEvents(
  trx: Trx,
  events: readonly PipelineEvent[],
  inOrder: boolean,
  cache: ApplyCache,
): Promise<Array<'applied' | 'duplicate'>> {
  const outcomes: Array<'applied' | 'duplicate'> = []
  for (let start = 0; start < events.length; ) {
    let end = start + 1
    if (isFlowEvent(events[start] as PipelineEvent)) {
      while (end < events.length && isFlowEvent(events[end] as PipelineEvent)) end++
    }
    const segment = events.slice(start, end)
    const fresh = await claimEvents(trx, segment)
    const claimed = segment.filter((_, i) => fresh[i])
    if (claimed.length > 0) await applyClaimed(trx, claimed, inOrder, cache)
    for (const isNew of fresh) outcomes.push(isNew ? 'applied' : 'duplicate')
    start = end
  }
  return outcomes
}

/** Applies claimed events: one pool creation, one reorg, or a run of flow events. */
async function applyClaimed(trx: Trx, events: PipelineEvent[], inOrder: boolean, cache: ApplyCache) {
  const [first] = events
  if (first?.type === 'reorg') return applyReorg(trx, first.forkBlock, first, cache)
  // Every chain's watermark is read up front, so the order check inside the fold is synchronous.
  for (const chainId of new Set(events.map((e) => e.chainId))) await cache.watermark(trx, chainId)
  const inPlace = (event: ChainEvent) => {
    refuseOutOfOrder(event, cache.knownWatermark(event.chainId), inOrder)
    advance(event, cache)
  }
  if (first?.type === 'pool.created') {
    inPlace(first)
    await trx
      .insertInto('intel_pools')
      .values({
        pool: lower(first.pool),
        token0: lower(first.token0),
        token1: lower(first.token1),
        created_block: first.blockNumber,
      })
      .onConflict((oc) => oc.column('pool').doNothing())
      .execute()
    cache.forgetPool(lower(first.pool))
    return
  }
  await applyFlows(trx, events as FlowEvent[], cache, inPlace)
}

function refuseOutOfOrder(event: ChainEvent, watermark: Watermark | null, inOrder: boolean) {
  const position = { blockNumber: event.blockNumber, logIndex: event.logIndex }
  if (inOrder && watermark && isBefore(position, watermark)) {
    throw new PoisonEvent(
      'out_of_order',
      `block ${event.blockNumber} log ${event.logIndex} is behind the applied block ${watermark.blockNumber} log ${watermark.logIndex}`,
      '/blockNumber',
    )
  }
}

/** Moves the chain's watermark to the event, unless it already stands past it (a replay). */
function advance(event: ChainEvent, cache: ApplyCache) {
  const position = { blockNumber: event.blockNumber, logIndex: event.logIndex }
  const watermark = cache.knownWatermark(event.chainId)
  if (!watermark || !isBefore(position, watermark)) {
    cache.moveWatermark(event, position, 'time' in event ? event.time : null)
  }
}

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
