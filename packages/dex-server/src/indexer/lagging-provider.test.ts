import type { EdrChain } from '@soba/contracts'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Eip1193, getBlockNumber, toQuantity } from '../chain/rpc.js'
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
  dbs = await openTestDatabases('lagging', 6)
})
afterAll(async () => {
  await dbs?.close()
})

const db = (index: number) => dbs.databases[index] as (typeof dbs.databases)[0]
const indexerOn = (index: number, rpc: Eip1193 = chain, headBlocks?: number) =>
  new Indexer({
    db: db(index).kysely,
    rpc,
    graph: new PoolRegistry(),
    chainId: chain.chainId,
    factory: market.deployment.factory,
    ...(headBlocks === undefined ? {} : { headBlocks }),
  })
const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address

/** The index a fresh indexer builds of the chain as it is now, on database `index`. */
async function freshIndex(index: number) {
  const fresh = indexerOn(index)
  await fresh.init()
  await fresh.syncToHead()
  return dumpIndex(db(index))
}

/**
 * A load-balanced provider: blocks and headers come from an up-to-date node, eth_getLogs from one
 * `lag.blocks` behind. For a range it answers what it has (silently short); for a block hash it
 * does not know it errors, as geth does ("unknown block").
 */
function laggingLogs(lag: { blocks: number }): Eip1193 {
  return {
    async request(args) {
      if (args.method !== 'eth_getLogs') return chain.request(args)
      const [filter] = args.params as [Record<string, string>]
      const visible = (await getBlockNumber(chain)) - lag.blocks
      if (filter.blockHash) {
        const block = (await chain.request({
          method: 'eth_getBlockByHash',
          params: [filter.blockHash, false],
        })) as { number: string } | null
        if (!block || Number(block.number) > visible)
          throw Object.assign(new Error('unknown block'), { code: -32000 })
        return chain.request(args)
      }
      if (Number(filter.fromBlock) > visible) return []
      const toBlock = toQuantity(Math.min(Number(filter.toBlock), visible))
      return chain.request({ method: 'eth_getLogs', params: [{ ...filter, toBlock }] })
    },
  }
}

const syncIgnoringErrors = (indexer: Indexer) => indexer.syncToHead().catch(() => undefined)

describe('an RPC whose eth_getLogs node lags the head', () => {
  it('never moves the cursor past blocks whose logs it could not read, and ends equal to a fresh index', async () => {
    const [_seeder, alice, bob] = accounts as [Address, Address, Address]
    const lag = { blocks: 0 }
    const indexer = indexerOn(0, laggingLogs(lag))
    await indexer.init()
    await indexer.syncToHead()

    lag.blocks = 2
    const router = market.deployment.router
    await swapExactIn(chain, router, alice, [token('WETH'), token('USDC')], 10n ** 17n)
    await swapExactIn(chain, router, bob, [token('DAI'), token('WETH')], 500n * 10n ** 18n)
    await swapExactIn(chain, router, alice, [token('USDC'), token('WETH')], 300n * 10n ** 6n)
    await swapExactIn(chain, router, bob, [token('WETH'), token('DAI')], 10n ** 17n)
    const head = await getBlockNumber(chain)
    await syncIgnoringErrors(indexer)
    expect(indexer.indexedBlock).toBeLessThanOrEqual(head - lag.blocks)

    lag.blocks = 0 // the log node caught up
    await indexer.syncToHead()
    expect(indexer.indexedBlock).toBe(head)
    const index = await dumpIndex(db(0))
    expect(index).toEqual(await freshIndex(1))
  })
})

describe('a reorg in blocks without logs while a range is read', () => {
  it.each([
    ['by range (deep blocks)', 2, 4, 0],
    ['block by block near the head', 3, 5, undefined],
  ] as const)(
    'is detected %s: the index ends equal to a fresh one',
    async (_mode, dbIndex, freshDb, headBlocks) => {
      const [_seeder, alice] = accounts as [Address, Address]
      let reorgAfterPairLogs = false
      const rpc: Eip1193 = {
        async request(args) {
          const answer = await chain.request(args)
          const [filter] = (args.params ?? []) as [{ topics?: unknown[] } | undefined]
          const pairLogs = args.method === 'eth_getLogs' && Array.isArray(filter?.topics?.[0])
          if (pairLogs && reorgAfterPairLogs) {
            // Once the pairs' logs are read the chain switches to a branch whose block C+2
            // holds a swap, where the branch just read had none.
            reorgAfterPairLogs = false
            expect(await chain.request({ method: 'evm_revert', params: [snapshot] })).toBe(true)
            await swapExactIn(
              chain,
              market.deployment.router,
              alice,
              [token('WETH'), token('USDC')],
              10n ** 16n,
            )
            await chain.request({ method: 'evm_mine', params: [] })
          }
          return answer
        },
      }
      const indexer = indexerOn(dbIndex, rpc, headBlocks)
      await indexer.init()
      await indexer.syncToHead()
      await chain.request({ method: 'evm_mine', params: [] }) // C+1, kept by both branches
      const snapshot = await chain.request({ method: 'evm_snapshot', params: [] })
      await chain.request({ method: 'evm_mine', params: [] }) // C+2 and C+3 of the dropped branch
      await chain.request({ method: 'evm_mine', params: [] })
      reorgAfterPairLogs = true
      for (let attempt = 0; attempt < 3; attempt++) await syncIgnoringErrors(indexer)
      expect(reorgAfterPairLogs).toBe(false)
      expect(await dumpIndex(db(dbIndex))).toEqual(await freshIndex(freshDb))
    },
  )
})
