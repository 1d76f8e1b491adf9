import { randomBytes } from 'node:crypto'
import { createQueue, type JobQueue } from '@platform/service-kit/queue'
import { createEdrChain, deployUniswapV2, type EdrChain, uniswapV2Artifacts } from '@soba/contracts'
import { type Abi, type Address, maxUint256 } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addLiquidity, deployTestToken, swapExactIn } from '../chain/test-chain.js'
import { encodeCall, execute, readContract } from '../chain/tx.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { Indexer } from './indexer.js'
import type { DexEvent } from './publish.js'
import { queueSink } from './queue-sink.js'
import { openTestDatabases } from './test-support.js'

let chain: EdrChain
let dbs: Awaited<ReturnType<typeof openTestDatabases>>
let queue: JobQueue

beforeAll(async () => {
  chain = await createEdrChain({ allowBlocksWithSameTimestamp: true })
  dbs = await openTestDatabases('univ2', 1)
  queue = await createQueue({ amqpUrl: process.env.AMQP_URL })
})
afterAll(async () => {
  await queue?.close()
  await dbs?.close()
})

const { UniswapV2Factory, UniswapV2Pair, UniswapV2Router02 } = uniswapV2Artifacts

describe('original Uniswap v2 deployment', () => {
  it('is indexed into the same pools, reserves, supplies and events the chain holds', async () => {
    const [deployer, trader] = chain.accounts.map((a) => a.address) as [Address, Address]
    const deployment = await deployUniswapV2(chain)
    const { router, factory } = deployment
    const [a, b, c] = [
      await deployTestToken(chain, deployer, 'AAA', 18, [deployer, trader], router),
      await deployTestToken(chain, deployer, 'BBB', 6, [deployer, trader], router),
      await deployTestToken(chain, deployer, 'CCC', 8, [deployer, trader], router),
    ]
    await addLiquidity(chain, router, deployer, a, b, 10n ** 24n, 2n * 10n ** 12n)
    await addLiquidity(chain, router, deployer, b, c, 5n * 10n ** 12n, 10n ** 10n)
    await addLiquidity(chain, router, trader, a, b, 10n ** 21n, 2n * 10n ** 9n)
    await swapExactIn(chain, router, trader, [a, b], 10n ** 19n)
    await swapExactIn(chain, router, trader, [c, b, a], 10n ** 7n)
    await swapExactIn(chain, router, trader, [b, c], 10n ** 9n)
    const pairAB = await readContract<Address>(chain, factory, UniswapV2Factory.abi as Abi, 'getPair', [a, b])
    const lp = await readContract<bigint>(chain, pairAB, UniswapV2Pair.abi as Abi, 'balanceOf', [trader])
    await execute(chain, {
      from: trader,
      to: pairAB,
      data: encodeCall(UniswapV2Pair.abi as Abi, 'approve', [router, maxUint256]),
    })
    const remove = encodeCall(UniswapV2Router02.abi as Abi, 'removeLiquidity', [
      a,
      b,
      lp / 2n,
      0n,
      0n,
      trader,
      2n ** 64n,
    ])
    await execute(chain, { from: trader, to: router, data: remove })

    const registry = new PoolRegistry()
    const db = (dbs.databases[0] as (typeof dbs.databases)[0]).kysely
    // Normalized events go to the queue (RabbitMQ when AMQP_URL is set) on a test-only exchange.
    const exchange = `dex.events.test.${randomBytes(4).toString('hex')}`
    const published: DexEvent[] = []
    await queue.subscribeEvents<DexEvent>(exchange, '#', (event) => void published.push(event))
    const sink = queueSink(queue, exchange)
    const indexer = new Indexer({ db, rpc: chain, graph: registry, chainId: chain.chainId, factory, sink })
    await indexer.init()
    await indexer.syncToHead()

    const count = await readContract<bigint>(chain, factory, UniswapV2Factory.abi as Abi, 'allPairsLength')
    expect(registry.pools()).toHaveLength(Number(count))
    for (let i = 0n; i < count; i++) {
      const pair = (
        await readContract<Address>(chain, factory, UniswapV2Factory.abi as Abi, 'allPairs', [i])
      ).toLowerCase()
      const [r0, r1] = await readContract<[bigint, bigint, number]>(
        chain,
        pair as Address,
        UniswapV2Pair.abi as Abi,
        'getReserves',
      )
      const supply = await readContract<bigint>(
        chain,
        pair as Address,
        UniswapV2Pair.abi as Abi,
        'totalSupply',
      )
      const token0 = await readContract<Address>(chain, pair as Address, UniswapV2Pair.abi as Abi, 'token0')
      const indexed = registry.pool(pair)
      expect(indexed).toMatchObject({
        token0: token0.toLowerCase(),
        reserve0: r0,
        reserve1: r1,
        totalSupply: supply,
      })
      const row = await db
        .selectFrom('pools')
        .selectAll()
        .where('address', '=', pair)
        .executeTakeFirstOrThrow()
      expect([row.reserve0, row.reserve1, row.total_supply]).toEqual([
        r0.toString(),
        r1.toString(),
        supply.toString(),
      ])
    }
    const kinds = await db.selectFrom('liquidity_events').select('kind').orderBy('block_number').execute()
    expect(kinds.map((k) => k.kind)).toEqual(['mint', 'mint', 'mint', 'burn'])
    const swaps = await db
      .selectFrom('swaps')
      .select('tx_hash')
      .orderBy('block_number')
      .orderBy('log_index')
      .execute()
    expect(swaps).toHaveLength(4) // 1 + 2 hops + 1
    const deadline = Date.now() + 10_000
    while (published.filter((e) => e.type === 'swap').length < 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const swapEvents = published.filter((e) => e.type === 'swap')
    expect(swapEvents.map((e) => e.txHash)).toEqual(swaps.map((s) => s.tx_hash))
    expect(published.filter((e) => e.type === 'pool.created')).toHaveLength(Number(count))
    expect(published.filter((e) => e.type === 'liquidity.burn')).toHaveLength(1)
    const symbols = (
      await db.selectFrom('tokens').select(['symbol', 'decimals']).orderBy('symbol').execute()
    ).map((t) => `${t.symbol}/${t.decimals}`)
    expect(symbols).toEqual(['AAA/18', 'BBB/6', 'CCC/8'])
  })
})
