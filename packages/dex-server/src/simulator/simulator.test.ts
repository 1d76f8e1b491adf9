import { SobaFactory, SobaPair } from '@soba/contracts'
import type { Abi, Address } from 'viem'
import { describe, expect, it } from 'vitest'
import { seededTestChain } from '../chain/test-chain.js'
import { readContract } from '../chain/tx.js'
import { MarketSimulator, type SimulatorPool } from './simulator.js'

describe('market simulator', () => {
  it('trades for real and its arbitrageur keeps every pool near the reference path', async () => {
    const { chain, market, accounts } = await seededTestChain()
    const factory = market.deployment.factory
    const count = await readContract<bigint>(chain, factory, SobaFactory.abi as Abi, 'allPairsLength')
    const pools: SimulatorPool[] = []
    for (let i = 0n; i < count; i++) {
      const address = await readContract<Address>(chain, factory, SobaFactory.abi as Abi, 'allPairs', [i])
      const token0 = await readContract<Address>(chain, address, SobaPair.abi as Abi, 'token0')
      const token1 = await readContract<Address>(chain, address, SobaPair.abi as Abi, 'token1')
      pools.push({
        address,
        token0: token0.toLowerCase() as Address,
        token1: token1.toLowerCase() as Address,
      })
    }
    const simulator = new MarketSimulator({
      rpc: chain,
      router: market.deployment.router,
      tokens: market.tokens,
      pools: () => pools,
      traders: accounts.slice(1, 5),
      arbitrageur: accounts[5] as Address,
      liquidityProviders: accounts.slice(6, 8),
      intervalMs: 1000,
      tradesPerTick: 3,
      seed: 7,
      volatility: 0.01,
    })
    const startBlock = Number(await chain.request({ method: 'eth_blockNumber', params: [] }))
    for (let i = 0; i < 12; i++) await simulator.tick()
    expect(simulator.stats.sent).toBeGreaterThan(12 * 3)
    expect(Number(await chain.request({ method: 'eth_blockNumber', params: [] }))).toBeGreaterThan(
      startBlock + 36,
    )

    // After a tick's arbitrage (and the small noise trades after it) every pool sits near the
    // reference: within the 0.6% arbitrage band plus at most ~1.7% of noise-trade impact.
    const decimals = new Map(market.tokens.map((t) => [t.address.toLowerCase(), t.decimals]))
    for (const pool of pools) {
      const [r0, r1] = await readContract<[bigint, bigint]>(
        chain,
        pool.address,
        SobaPair.abi as Abi,
        'getReserves',
      )
      const price =
        (Number(r1) / Number(r0)) *
        10 ** ((decimals.get(pool.token0) ?? 18) - (decimals.get(pool.token1) ?? 18))
      const target =
        (simulator.referencePrice(pool.token0) ?? 0) / (simulator.referencePrice(pool.token1) ?? 1)
      expect(Math.abs(price / target - 1)).toBeLessThan(0.03)
    }
  })
})
