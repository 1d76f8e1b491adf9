import type { EdrChain } from '@soba/contracts'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededTestChain, swapExactIn } from '../chain/test-chain.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { Indexer } from './indexer.js'
import { dumpIndex, openTestDatabases } from './test-support.js'

let chain: EdrChain
let market: Awaited<ReturnType<typeof seededTestChain>>['market']
let accounts: Address[]
let dbs: Awaited<ReturnType<typeof openTestDatabases>>

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  dbs = await openTestDatabases('reorg', 5)
})
afterAll(async () => {
  await dbs?.close()
})

const indexerOn = (index: number) =>
  new Indexer({
    db: (dbs.databases[index] as (typeof dbs.databases)[0]).kysely,
    rpc: chain,
    graph: new PoolRegistry(),
    chainId: chain.chainId,
    factory: market.deployment.factory,
  })

const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address

describe('reorg', () => {
  it('replacing the last 3 blocks leaves the same index as a fresh one of the new chain', async () => {
    const router = market.deployment.router
    const [_seeder, alice, bob] = accounts as [Address, Address, Address]
    const following = indexerOn(0)
    const reorgs: Array<{ fork: number | null }> = []
    following.on('reorg', (r) => reorgs.push(r))
    await following.init()

    await swapExactIn(chain, router, alice, [token('WETH'), token('USDC')], 10n ** 18n)
    await following.syncToHead()
    const snapshot = await chain.request({ method: 'evm_snapshot', params: [] })
    const forkBlock = Number(await chain.request({ method: 'eth_blockNumber', params: [] }))

    // The branch that will be dropped: three blocks of swaps.
    await swapExactIn(chain, router, alice, [token('WETH'), token('USDC')], 5n * 10n ** 18n)
    await swapExactIn(chain, router, bob, [token('DAI'), token('WETH')], 20_000n * 10n ** 18n)
    await swapExactIn(chain, router, alice, [token('SOBA'), token('USDC')], 50_000n * 10n ** 18n)
    await following.syncToHead()
    const dropped = await dumpIndex(dbs.databases[0] as (typeof dbs.databases)[0])

    // The replacing branch: three different blocks at the same heights.
    expect(await chain.request({ method: 'evm_revert', params: [snapshot] })).toBe(true)
    await swapExactIn(chain, router, bob, [token('USDC'), token('WETH')], 7_000n * 10n ** 6n)
    await swapExactIn(chain, router, bob, [token('WBTC'), token('USDC')], 10n ** 7n)
    await swapExactIn(chain, router, alice, [token('USDC'), token('DAI'), token('WETH')], 900n * 10n ** 6n)
    expect(Number(await chain.request({ method: 'eth_blockNumber', params: [] }))).toBe(forkBlock + 3)
    await following.syncToHead()

    expect(reorgs).toEqual([expect.objectContaining({ fork: forkBlock })])
    const fresh = indexerOn(1)
    await fresh.init()
    await fresh.syncToHead()
    const after = await dumpIndex(dbs.databases[0] as (typeof dbs.databases)[0])
    const expected = await dumpIndex(dbs.databases[1] as (typeof dbs.databases)[0])
    expect(after).toEqual(expected)
    expect(after.swaps).toHaveLength(5) // 1 before the fork, then 1 + 1 + 2 (a two-hop swap)
    expect(after).not.toEqual(dropped)
  })

  it('a restarted indexer resumes from its cursor and ends equal to a fresh index', async () => {
    const [_seeder, alice] = accounts as [Address, Address]
    const first = indexerOn(2)
    await first.init()
    await first.syncToHead()
    await swapExactIn(chain, market.deployment.router, alice, [token('WETH'), token('SOBA')], 10n ** 17n)
    await swapExactIn(chain, market.deployment.router, alice, [token('DAI'), token('USDC')], 10n ** 20n)

    const restarted = indexerOn(2)
    await restarted.init()
    expect(restarted.indexedBlock).toBe(first.indexedBlock)
    await restarted.syncToHead()
    const fresh = indexerOn(1)
    await fresh.init()
    await fresh.syncToHead()
    expect(await dumpIndex(dbs.databases[2] as (typeof dbs.databases)[0])).toEqual(
      await dumpIndex(dbs.databases[1] as (typeof dbs.databases)[0]),
    )
  })

  it('narrows its eth_getLogs ranges when the provider caps them, and still indexes everything', async () => {
    const capped = {
      request: async (args: { method: string; params?: readonly unknown[] | object }) => {
        if (args.method === 'eth_getLogs') {
          const [filter] = args.params as [{ fromBlock: string; toBlock: string }]
          if (Number(filter.toBlock) - Number(filter.fromBlock) > 7)
            throw new Error('block range too large (max 8)')
        }
        return chain.request(args)
      },
    }
    const indexer = new Indexer({
      db: (dbs.databases[3] as (typeof dbs.databases)[0]).kysely,
      rpc: capped,
      graph: new PoolRegistry(),
      chainId: chain.chainId,
      factory: market.deployment.factory,
      batchBlocks: 100,
      pollMs: 10,
    })
    await indexer.init()
    indexer.start()
    await indexer.waitForBlock(Number(await chain.request({ method: 'eth_blockNumber', params: [] })))
    await indexer.stop()
    const fresh = indexerOn(1)
    await fresh.init()
    await fresh.syncToHead()
    expect(await dumpIndex(dbs.databases[3] as (typeof dbs.databases)[0])).toEqual(
      await dumpIndex(dbs.databases[1] as (typeof dbs.databases)[0]),
    )
  })

  it("rolls back only its own factory's rows: another factory's index in the same database stays", async () => {
    const db = (dbs.databases[4] as (typeof dbs.databases)[0]).kysely
    const [_seeder, alice] = accounts as [Address, Address]
    const ours = indexerOn(4)
    await ours.init()
    await ours.syncToHead()
    const forkBlock = Number(await chain.request({ method: 'eth_blockNumber', params: [] }))
    const snapshot = await chain.request({ method: 'evm_snapshot', params: [] })
    await swapExactIn(chain, market.deployment.router, alice, [token('WETH'), token('USDC')], 10n ** 18n)
    await ours.syncToHead()

    // Another factory's pool, indexed into the same tables, with events above the fork.
    const other = '0x00000000000000000000000000000000000000f2'
    const [t0, t1] = [token('WETH'), token('USDC')].map((t) => t.toLowerCase()).sort()
    const above = forkBlock + 1
    const time = new Date().toISOString()
    await db
      .insertInto('pools')
      .values({
        address: other,
        token0: t0,
        token1: t1,
        factory: '0x00000000000000000000000000000000000000fa',
        created_block: 1,
        created_tx: '0x01',
        updated_block: above,
        reserve0: '5',
        reserve1: '7',
      })
      .execute()
    const position = { block_number: above, log_index: 900, pool: other }
    await db
      .insertInto('syncs')
      .values({ ...position, reserve0: '5', reserve1: '7' })
      .execute()
    await db
      .insertInto('swaps')
      .values({
        ...position,
        log_index: 901,
        tx_hash: '0x02',
        block_time: time,
        sender: other,
        recipient: other,
        amount0_in: '1',
        amount1_in: '0',
        amount0_out: '0',
        amount1_out: '1',
        reserve0: '5',
        reserve1: '7',
        price: '1.4',
      })
      .execute()
    await db
      .insertInto('candles')
      .values({
        pool: other,
        interval: '1m',
        bucket_start: time,
        open: '1',
        high: '1',
        low: '1',
        close: '1',
        volume0: '1',
        volume1: '1',
        fees0: '0',
        fees1: '0',
        trades: 1,
      })
      .execute()
    const theirs = async () => ({
      pools: await db.selectFrom('pools').selectAll().where('address', '=', other).execute(),
      swaps: await db.selectFrom('swaps').selectAll().where('pool', '=', other).execute(),
      syncs: await db.selectFrom('syncs').selectAll().where('pool', '=', other).execute(),
      candles: await db.selectFrom('candles').selectAll().where('pool', '=', other).execute(),
    })
    const before = await theirs()

    expect(await chain.request({ method: 'evm_revert', params: [snapshot] })).toBe(true)
    await swapExactIn(chain, market.deployment.router, alice, [token('DAI'), token('USDC')], 10n ** 18n)
    const reorgs: unknown[] = []
    ours.on('reorg', (r) => reorgs.push(r))
    await ours.syncToHead()
    expect(reorgs).toHaveLength(1)
    expect(await theirs()).toEqual(before)
    expect(before.swaps).toHaveLength(1)
  })
})
