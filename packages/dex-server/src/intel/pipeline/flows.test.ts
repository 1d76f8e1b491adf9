import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabases } from '../../indexer/test-support.js'
import { ApplyCache, applyEvents } from './apply.js'
import type { ChainEvent, PipelineEvent } from './events.js'
import { foldAggregates, syntheticStream } from './test-events.js'

let dbs: Awaited<ReturnType<typeof openTestDatabases>>
beforeAll(async () => {
  dbs = await openTestDatabases('intel_flows', 2)
})
afterAll(async () => dbs?.close())

const db = (index: number) => (dbs.databases[index] as (typeof dbs.databases)[number]).kysely

/**
 * The synthetic stream, with what it lacks: every fifth swap is the first hop of a multi-hop
 * swap (its recipient is another pool, so it is nobody's trade), and a burn follows every tenth
 * swap in its block.
 */
function richStream(): ChainEvent[] {
  const base = syntheticStream(11, 3, 240)
  const pools = base.filter((e) => e.type === 'pool.created').map((e) => e.pool)
  const events: ChainEvent[] = []
  let swaps = 0
  for (const event of base) {
    if (event.type !== 'swap') {
      events.push(event)
      continue
    }
    swaps++
    const hop = swaps % 5 === 0 ? { recipient: pools.find((p) => p !== event.pool) as string } : {}
    events.push({ ...event, ...hop })
    if (swaps % 10 === 0) {
      events.push({
        type: 'liquidity.burn',
        id: `${event.id}:burn`,
        chainId: event.chainId,
        pool: event.pool,
        blockNumber: event.blockNumber,
        logIndex: event.logIndex,
        txHash: event.txHash,
        time: event.time,
        sender: event.sender,
        amount0: '1000',
        amount1: '2000',
      })
    }
  }
  // Log indexes again, in stream order within each block (the burns were slotted in).
  let block = -1
  let logIndex = 0
  return events.map((event) => {
    if (event.blockNumber !== block) [block, logIndex] = [event.blockNumber, 0]
    return { ...event, logIndex: logIndex++ }
  })
}

async function apply(kysely: Kysely<any>, events: PipelineEvent[], inOrder = true) {
  return kysely.transaction().execute(async (trx) => {
    const cache = new ApplyCache()
    const outcomes = await applyEvents(trx, events, inOrder, cache)
    await cache.flush(trx)
    return outcomes
  })
}

/** Every aggregate row, in a stable order. */
async function tables(kysely: Kysely<any>) {
  const read = (query: string) =>
    sql
      .raw<Record<string, unknown>>(query)
      .execute(kysely)
      .then((r) => r.rows)
  return {
    pools: await read(
      'select pool, reserve0::text, reserve1::text, last_block::int, last_log_index from intel_pools order by pool',
    ),
    blocks: await read(
      `select pool, block_number::int, volume0::text, volume1::text, fees0::text, fees1::text, trades,
        reserve0::text, reserve1::text, last_log_index from intel_pool_blocks order by pool, block_number`,
    ),
    trades: await read(
      `select account, event_id, pool, token_in, token_out, amount_in::text, amount_out::text
       from intel_account_trades order by event_id`,
    ),
    counterparties: await read(
      `select account, counterparty, trades, first_block::int, last_block::int
       from intel_account_counterparties order by account, counterparty`,
    ),
  }
}

describe('applying a run of swaps and liquidity events in one go', () => {
  it('leaves every aggregate row as applying them one event per transaction does, and as a plain fold says', async () => {
    const events = richStream()
    const together = await apply(db(0), events)
    for (const event of events) await apply(db(1), [event])
    expect(together.every((o) => o === 'applied')).toBe(true)
    const [batched, single] = [await tables(db(0)), await tables(db(1))]
    expect(batched).toEqual(single)
    expect(batched.trades.length).toBeGreaterThan(0)
    // Multi-hop first hops are in the pools' volume but are nobody's trade.
    const expected = foldAggregates(events)
    expect(batched.trades).toHaveLength([...expected.counterparties.values()].reduce((a, b) => a + b, 0))
    for (const pool of batched.pools) {
      const want = expected.pools.get(pool.pool as string)
      expect([pool.reserve0, pool.reserve1]).toEqual([String(want?.reserve0), String(want?.reserve1)])
    }
  })

  it('drops a repeated id inside the run and a replayed older swap never rewinds the reserves', async () => {
    const events = richStream()
    const before = await tables(db(0))
    const swap = events.find((e) => e.type === 'swap') as ChainEvent
    // Already applied by the test above: both copies are duplicates.
    expect(await apply(db(0), [swap, swap])).toEqual(['duplicate', 'duplicate'])
    // The same swap under a new id (a replay from the DLQ, out of order): volume counts it, the
    // pool's reserves stay on the newer event they came from.
    await apply(db(0), [{ ...swap, id: `${swap.id}:replayed` }], false)
    const after = await tables(db(0))
    expect(after.pools).toEqual(before.pools)
    const trades = (rows: typeof before.blocks) =>
      rows.filter((b) => b.pool === swap.pool.toLowerCase()).reduce((n, b) => n + Number(b.trades), 0)
    expect(trades(after.blocks)).toBe(trades(before.blocks) + 1)
  })
})
