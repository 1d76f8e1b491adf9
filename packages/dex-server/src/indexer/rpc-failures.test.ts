import type { EdrChain } from '@soba/contracts'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getBlockNumber } from '../chain/rpc.js'
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
  dbs = await openTestDatabases('rpcfail', 3)
})
afterAll(async () => {
  await dbs?.close()
})

describe('an RPC that fails mid-backfill', () => {
  it('is retried with growing delays and a clear log, keeps its range size, and the index ends complete', async () => {
    let failuresLeft = 3
    const spans: number[] = []
    const errors: Array<{ retryInMs: number; failures: number }> = []
    const indexer = new Indexer({
      db: dbs.databases[0]!.kysely,
      rpc: {
        async request(args) {
          if (args.method === 'eth_getLogs') {
            if (failuresLeft > 0) {
              failuresLeft--
              throw new Error('connect ECONNREFUSED 10.0.0.7:8545')
            }
            const [filter] = args.params as [{ fromBlock?: string; toBlock?: string }]
            if (filter.fromBlock) spans.push(Number(filter.toBlock) - Number(filter.fromBlock) + 1)
          }
          return chain.request(args)
        },
      },
      graph: new PoolRegistry(),
      chainId: chain.chainId,
      factory: market.deployment.factory,
      batchBlocks: 50,
      pollMs: 10,
      logger: {
        info: () => {},
        warn: () => {},
        error: (details) => errors.push(details as (typeof errors)[0]),
      },
    })
    await indexer.init()
    indexer.start()
    await indexer.waitForBlock(await getBlockNumber(chain))
    await indexer.stop()

    expect(errors.map((e) => e.retryInMs)).toEqual([20, 40, 80])
    expect(errors.map((e) => e.failures)).toEqual([1, 2, 3])
    expect(spans[0]).toBe(50) // a refused connection says nothing about the provider's range cap
    const fresh = new Indexer({
      db: dbs.databases[1]!.kysely,
      rpc: chain,
      graph: new PoolRegistry(),
      chainId: chain.chainId,
      factory: market.deployment.factory,
    })
    await fresh.init()
    await fresh.syncToHead()
    expect(await dumpIndex(dbs.databases[0]!)).toEqual(await dumpIndex(dbs.databases[1]!))
  })

  it("reads a range again when the node does not know a swap's transaction, and records every sender", async () => {
    const trader = accounts[1] as Address
    const symbol = (s: string) => market.tokens.find((t) => t.symbol === s)?.address as Address
    await swapExactIn(chain, market.deployment.router, trader, [symbol('WETH'), symbol('USDC')], 10n ** 17n)
    await swapExactIn(
      chain,
      market.deployment.router,
      trader,
      [symbol('DAI'), symbol('USDC'), symbol('WBTC')],
      10n ** 20n,
    )
    // A load-balanced provider whose node has not seen the transactions yet answers null.
    let nullsLeft = 2
    const warnings: string[] = []
    const indexer = new Indexer({
      db: dbs.databases[2]!.kysely,
      rpc: {
        async request(args) {
          if (args.method === 'eth_getTransactionByHash' && nullsLeft > 0) {
            nullsLeft--
            return null
          }
          return chain.request(args)
        },
      },
      graph: new PoolRegistry(),
      chainId: chain.chainId,
      factory: market.deployment.factory,
      pollMs: 10,
      logger: { info: () => {}, warn: (_details, message) => warnings.push(message), error: () => {} },
    })
    await indexer.init()
    indexer.start()
    await indexer.waitForBlock(await getBlockNumber(chain))
    await indexer.stop()

    expect(nullsLeft).toBe(0)
    expect(warnings).toContain('indexer: retrying range')
    const swaps = await dbs.databases[2]!.kysely.selectFrom('swaps').select(['tx_from']).execute()
    expect(swaps).toHaveLength(3) // one hop, then two
    expect(swaps.map((s) => s.tx_from)).toEqual(Array(3).fill(trader.toLowerCase()))
  })
})
