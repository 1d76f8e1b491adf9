import { type EdrChain, SobaFactory, SobaPair } from '@soba/contracts'
import type { Abi, Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployTestToken, seededTestChain, swapExactIn } from '../chain/test-chain.js'
import { encodeCall, execute, readContract } from '../chain/tx.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { Indexer } from './indexer.js'
import { openTestDatabases } from './test-support.js'

let chain: EdrChain
let market: Awaited<ReturnType<typeof seededTestChain>>['market']
let accounts: Address[]
let dbs: Awaited<ReturnType<typeof openTestDatabases>>

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  dbs = await openTestDatabases('start_block', 2)
})
afterAll(async () => {
  await dbs?.close()
})

const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address
const head = async () => Number(await chain.request({ method: 'eth_blockNumber', params: [] }))
const db = (i: number) => (dbs.databases[i] as (typeof dbs.databases)[0]).kysely

/** Every pair of the factory with its reserves and LP supply, as the chain holds them now. */
async function chainPools() {
  const factory = market.deployment.factory
  const n = Number(await readContract<bigint>(chain, factory, SobaFactory.abi as Abi, 'allPairsLength'))
  const pools = new Map<string, { reserve0: bigint; reserve1: bigint; totalSupply: bigint }>()
  for (let i = 0; i < n; i++) {
    const pair = await readContract<Address>(chain, factory, SobaFactory.abi as Abi, 'allPairs', [BigInt(i)])
    const [reserve0, reserve1] = await readContract<[bigint, bigint]>(
      chain,
      pair,
      SobaPair.abi as Abi,
      'getReserves',
    )
    const totalSupply = await readContract<bigint>(chain, pair, SobaPair.abi as Abi, 'totalSupply')
    pools.set(pair.toLowerCase(), { reserve0, reserve1, totalSupply })
  }
  return pools
}

function indexedPools(graph: PoolRegistry) {
  return new Map(
    graph
      .pools()
      .map((p) => [p.address, { reserve0: p.reserve0, reserve1: p.reserve1, totalSupply: p.totalSupply }]),
  )
}

describe('an index that starts after the factory was deployed (INDEXER_START_BLOCK)', () => {
  it('knows the pairs created before the start block, with their reserves, and follows them', async () => {
    const [seeder, alice] = accounts as [Address, Address]
    const router = market.deployment.router
    await swapExactIn(chain, router, alice, [token('WETH'), token('USDC')], 10n ** 18n)
    const startBlock = (await head()) + 1
    // After the start: a swap in an old pair and a pair created by then.
    await swapExactIn(chain, router, alice, [token('DAI'), token('WETH')], 1_000n * 10n ** 18n)
    const late = await deployTestToken(chain, seeder, 'LATE', 18, [seeder], router)
    await execute(chain, {
      from: seeder,
      to: market.deployment.factory,
      data: encodeCall(SobaFactory.abi as Abi, 'createPair', [late, token('WETH')]),
    })

    const graph = new PoolRegistry()
    const indexer = new Indexer({
      db: db(0),
      rpc: chain,
      graph,
      chainId: chain.chainId,
      factory: market.deployment.factory,
      startBlock,
    })
    await indexer.init()
    await indexer.syncToHead()

    expect(indexedPools(graph)).toEqual(await chainPools())
    // Only the swap after the start block is indexed.
    const swaps = await db(0).selectFrom('swaps').select('block_number').execute()
    expect(swaps.map((s) => Number(s.block_number))).toEqual([startBlock])
    // A restart resumes from the cursor and a fresh registry loads the same pools.
    const reloaded = new PoolRegistry()
    await reloaded.load(db(0))
    expect(indexedPools(reloaded)).toEqual(indexedPools(graph))
  })

  it('keeps the snapshot reserves through a reorg of the blocks after the start', async () => {
    const [_seeder, alice, bob] = accounts as [Address, Address, Address]
    const router = market.deployment.router
    const startBlock = (await head()) + 1
    const graph = new PoolRegistry()
    const indexer = new Indexer({
      db: db(1),
      rpc: chain,
      graph,
      chainId: chain.chainId,
      factory: market.deployment.factory,
      startBlock,
    })
    await indexer.init()
    await indexer.syncToHead()
    const snapshot = await chain.request({ method: 'evm_snapshot', params: [] })
    await swapExactIn(chain, router, alice, [token('WETH'), token('USDC')], 2n * 10n ** 18n)
    await indexer.syncToHead()
    await chain.request({ method: 'evm_revert', params: [snapshot] })
    // A different block at the same height: the swap above is rolled back to the snapshot state.
    await swapExactIn(chain, router, bob, [token('WBTC'), token('USDC')], 10n ** 7n)
    await indexer.syncToHead()
    expect(indexedPools(graph)).toEqual(await chainPools())
  })
})
