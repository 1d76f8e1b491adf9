import type { EdrChain } from '@soba/contracts'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addLiquidity, deployTestToken, seededTestChain, swapExactIn } from '../chain/test-chain.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { Indexer, indexId } from './indexer.js'
import { IndexerLease } from './lease.js'
import { openTestDatabases, until } from './test-support.js'

// Several DEX processes on one database and one chain: the lease picks the one that indexes, the
// others follow what it stores, and one of them takes over when it stops.
let chain: EdrChain
let market: Awaited<ReturnType<typeof seededTestChain>>['market']
let accounts: Address[]
let dbs: Awaited<ReturnType<typeof openTestDatabases>>
const running: Indexer[] = []

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  dbs = await openTestDatabases('election', 2)
})
afterAll(async () => {
  for (const indexer of running) await indexer.stop()
  await dbs?.close()
})

const database = (index: number) => (dbs.databases[index] as (typeof dbs.databases)[0]).kysely
const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address
const head = async () => Number(await chain.request({ method: 'eth_blockNumber', params: [] }))

function dexProcess(db: number, mode: 'lease' | 'never') {
  const graph = new PoolRegistry()
  const id = indexId(chain.chainId, market.deployment.factory)
  const indexer = new Indexer({
    db: database(db),
    rpc: chain,
    graph,
    chainId: chain.chainId,
    factory: market.deployment.factory,
    mode,
    lease: new IndexerLease({ db: database(db), id, ttlMs: 1000 }),
    pollMs: 20,
    followMs: 20,
  })
  running.push(indexer)
  const reorgs: Array<{ fork: number | null; from: number }> = []
  indexer.on('reorg', (r) => reorgs.push(r))
  return { indexer, graph, reorgs }
}

/** The pool graph as plain data, for comparing two processes' views. */
const view = (graph: PoolRegistry) =>
  graph
    .pools()
    .map((p) => ({
      ...p,
      reserve0: String(p.reserve0),
      reserve1: String(p.reserve1),
      totalSupply: String(p.totalSupply),
    }))
    .sort((a, b) => a.address.localeCompare(b.address))

describe('one indexer per database', () => {
  it('the lease holder indexes, the others follow the stored index and take over when it stops', async () => {
    const router = market.deployment.router
    const [_seeder, alice, bob] = accounts as [Address, Address, Address]
    const a = dexProcess(0, 'lease')
    const b = dexProcess(0, 'lease')
    const c = dexProcess(0, 'never')
    await a.indexer.init()
    a.indexer.start()
    await until(async () => a.indexer.indexing && (a.indexer.indexedBlock ?? -1) >= (await head()))
    for (const p of [b, c]) {
      await p.indexer.init()
      p.indexer.start()
    }

    await swapExactIn(chain, router, alice, [token('WETH'), token('USDC')], 10n ** 18n)
    await swapExactIn(chain, router, bob, [token('DAI'), token('WETH')], 20_000n * 10n ** 18n)
    const tip = await head()
    const advances: Array<{ from: number | null; to: number }> = []
    c.indexer.on('advance', (advance) => advances.push(advance))
    for (const p of [a, b, c]) await p.indexer.waitForBlock(tip)
    await until(async () => view(b.graph).length > 0 && view(c.graph).length > 0)

    expect([a, b, c].map((p) => p.indexer.indexing)).toEqual([true, false, false])
    expect(b.indexer.status().events).toBe(0)
    expect(c.indexer.status().events).toBe(0)
    expect(a.indexer.status().events).toBeGreaterThan(0)
    // Followers answer from the same reserves as the writer, at the same block, and see the head.
    expect(view(b.graph)).toEqual(view(a.graph))
    expect(view(c.graph)).toEqual(view(a.graph))
    const pools = view(a.graph).length
    expect(b.indexer.status()).toMatchObject({ block: tip, lag: 0, indexing: false })
    expect(advances.at(-1)?.to).toBe(tip)
    // Following new blocks is no reorg.
    expect([b.reorgs, c.reorgs]).toEqual([[], []])

    // A pair created while they follow: the pool and its new token reach the followers too.
    const fresh = await deployTestToken(chain, alice, 'FRESH', 9, [alice], router)
    await addLiquidity(chain, router, alice, fresh, token('USDC'), 10n ** 15n, 10n ** 10n)
    const created = await head()
    for (const p of [a, b, c]) await p.indexer.waitForBlock(created)
    expect(view(a.graph).length).toBe(pools + 1)
    for (const p of [b, c]) {
      expect(view(p.graph)).toEqual(view(a.graph))
      expect(p.graph.token(fresh)).toMatchObject({ symbol: 'FRESH', decimals: 9 })
    }

    // The writer rolls back a reorg; followers see the stored index fork and report it.
    const snapshot = await chain.request({ method: 'evm_snapshot', params: [] })
    const forkBlock = await head()
    await swapExactIn(chain, router, alice, [token('WETH'), token('USDC')], 5n * 10n ** 18n)
    await swapExactIn(chain, router, alice, [token('SOBA'), token('USDC')], 50_000n * 10n ** 18n)
    for (const p of [a, b, c]) await p.indexer.waitForBlock(forkBlock + 2)
    expect(await chain.request({ method: 'evm_revert', params: [snapshot] })).toBe(true)
    await swapExactIn(chain, router, bob, [token('USDC'), token('WETH')], 7_000n * 10n ** 6n)
    await swapExactIn(chain, router, bob, [token('WBTC'), token('USDC')], 10n ** 7n)
    await swapExactIn(chain, router, bob, [token('USDC'), token('DAI')], 10n ** 6n)
    const replaced = await head()
    await until(async () => a.reorgs.length > 0 && b.reorgs.length > 0 && c.reorgs.length > 0)
    for (const p of [a, b, c]) await p.indexer.waitForBlock(replaced)
    await until(async () => JSON.stringify(view(b.graph)) === JSON.stringify(view(a.graph)))
    await until(async () => JSON.stringify(view(c.graph)) === JSON.stringify(view(a.graph)))
    expect(a.reorgs).toEqual([expect.objectContaining({ fork: forkBlock })])
    for (const p of [b, c]) {
      expect(p.reorgs).toHaveLength(1)
      // At or below the real fork: a consumer that rolls back to it loses nothing it must keep.
      expect(p.reorgs[0]?.fork).not.toBeNull()
      expect(p.reorgs[0]?.fork).toBeLessThanOrEqual(forkBlock)
    }

    // The writer stops (releasing the lease): the other lease process takes over, 'never' does not.
    await a.indexer.stop()
    await until(async () => b.indexer.indexing, 10_000, 'b to take the lease')
    await swapExactIn(chain, router, alice, [token('WETH'), token('DAI')], 10n ** 17n)
    const after = await head()
    for (const p of [b, c]) await p.indexer.waitForBlock(after)
    expect(b.indexer.status().events).toBeGreaterThan(0)
    expect(c.indexer.indexing).toBe(false)
    expect(c.indexer.status().events).toBe(0)
    await until(async () => JSON.stringify(view(c.graph)) === JSON.stringify(view(b.graph)))
  })

  it('a holder that dies without releasing loses the lease once it expires, and not before', async () => {
    const id = 'lease-expiry'
    const first = new IndexerLease({ db: database(1), id, ttlMs: 1000 })
    const second = new IndexerLease({ db: database(1), id, ttlMs: 1000 })
    expect(await first.acquire()).toBe(true)
    expect(await second.acquire()).toBe(false)
    expect(await first.acquire()).toBe(true) // a renewal
    expect(await first.current()).toBe(first.holder)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await second.acquire()).toBe(false)
    // `first` stops renewing (a killed process).
    await until(() => second.acquire(), 5_000, 'the lease to expire')
    expect(await first.acquire()).toBe(false)
    expect(await second.current()).toBe(second.holder)
    await second.release()
    expect(await second.current()).toBeNull()
    expect(await first.acquire()).toBe(true)
  })
})
