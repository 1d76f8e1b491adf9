import { type EdrChain, HostileToken } from '@soba/contracts'
import { type Abi, type Address, encodeDeployData, maxUint256 } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addLiquidity, seededTestChain, swapExactIn } from '../chain/test-chain.js'
import { encodeCall, execute } from '../chain/tx.js'
import { MarketData } from '../market/market.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { Indexer } from './indexer.js'
import { openTestDatabases } from './test-support.js'

let chain: EdrChain
let market: Awaited<ReturnType<typeof seededTestChain>>['market']
let accounts: Address[]
let dbs: Awaited<ReturnType<typeof openTestDatabases>>

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  dbs = await openTestDatabases('hostile', 1)
})
afterAll(async () => {
  await dbs?.close()
})

const MODES = ['revert', 'bytes32', 'garbage', 'gasburn', 'huge'] as const

describe('hostile tokens', () => {
  it('are indexed with null metadata where they misbehave, and never stop the indexer', async () => {
    const [seeder, trader] = accounts as [Address, Address]
    const { router } = market.deployment
    const usdc = market.tokens.find((t) => t.symbol === 'USDC')?.address as Address
    const hostile: Address[] = []
    for (const [mode] of MODES.entries()) {
      const data = encodeDeployData({
        abi: HostileToken.abi as Abi,
        bytecode: HostileToken.bytecode,
        args: [mode, 10n ** 30n],
      })
      const token = (await execute(chain, { from: seeder, data })).contractAddress as Address
      await execute(chain, {
        from: seeder,
        to: token,
        data: encodeCall(HostileToken.abi as Abi, 'approve', [router, maxUint256]),
      })
      await addLiquidity(chain, router, seeder, token, usdc, 10n ** 24n, 10n ** 12n)
      await swapExactIn(chain, router, trader, [usdc, token], 10n ** 9n)
      hostile.push(token.toLowerCase() as Address)
    }

    const registry = new PoolRegistry()
    const db = (dbs.databases[0] as (typeof dbs.databases)[0]).kysely
    const indexer = new Indexer({
      db,
      rpc: chain,
      graph: registry,
      chainId: chain.chainId,
      factory: market.deployment.factory,
    })
    await indexer.init()
    await indexer.syncToHead()

    const tokens = await db.selectFrom('tokens').selectAll().where('address', 'in', hostile).execute()
    const byMode = Object.fromEntries(
      MODES.map((mode, i) => [mode, tokens.find((t) => t.address === hostile[i])]),
    )
    expect(byMode.revert).toMatchObject({ symbol: null, name: null, decimals: null, metadata_ok: false })
    expect(byMode.bytes32).toMatchObject({
      symbol: 'HOSTILE',
      name: 'HOSTILE',
      decimals: null,
      metadata_ok: false,
    })
    expect(byMode.garbage).toMatchObject({ symbol: null, name: null, decimals: null, metadata_ok: false })
    expect(byMode.gasburn).toMatchObject({ symbol: null, name: null, decimals: null, metadata_ok: false })
    // Building a 100 kB string costs more than the gas a metadata call is allowed.
    expect(byMode.huge).toMatchObject({ symbol: null, name: null, decimals: null, metadata_ok: false })

    // Their pools and swaps are indexed like any other, and market views still answer.
    const pools = await new MarketData(db, registry, usdc).pools()
    expect(pools).toHaveLength(market.pools.length + MODES.length)
    for (const token of hostile) {
      const pool = pools.find((p) => p.tokens.some((t) => t.address === token))
      expect(pool?.swaps24h).toBe(1)
      expect(BigInt(pool?.tvl ?? 0)).toBeGreaterThan(0n)
    }
    // And the indexer keeps following the chain afterwards.
    await swapExactIn(chain, router, trader, [usdc, hostile[0] as Address], 10n ** 9n)
    await indexer.syncToHead()
    const swaps = await db.selectFrom('swaps').select('pool').execute()
    expect(swaps.length).toBe(MODES.length + 1)
  })
})
