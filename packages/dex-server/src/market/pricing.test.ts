import type { Address } from 'viem'
import { describe, expect, it } from 'vitest'
import { PoolRegistry } from './pool-registry.js'
import { formatE18, PRICE_SCALE, poolTvl, priceTokens, spotPriceE18 } from './pricing.js'

const USDC = '0x00000000000000000000000000000000000000a1' as Address
const WETH = '0x00000000000000000000000000000000000000b2' as Address
const SOBA = '0x00000000000000000000000000000000000000c3' as Address
const LONE = '0x00000000000000000000000000000000000000d4' as Address

function registry(pools: Array<[Address, Address, bigint, bigint]>) {
  const r = new PoolRegistry()
  for (const [i, [token0, token1, reserve0, reserve1]] of pools.entries()) {
    r.setPool({
      address: `0x${(i + 1).toString(16).padStart(40, '0')}` as Address,
      token0,
      token1,
      reserve0,
      reserve1,
      totalSupply: 1n,
      updatedBlock: 1,
    })
  }
  return r
}

describe('pricing through the pool graph', () => {
  it('prices tokens hop by hop from the quote token, preferring the deepest pool', () => {
    const graph = registry([
      [WETH, USDC, 1_000n * 10n ** 18n, 3_000_000n * 10n ** 6n], // 3000 USDC per WETH, deep
      [WETH, USDC, 10n ** 18n, 1n * 10n ** 6n], // a dust pool claiming 1 USDC per WETH
      [SOBA, WETH, 60_000n * 10n ** 18n, 10n * 10n ** 18n], // 6000 SOBA per WETH → 0.5 USDC
    ])
    const prices = priceTokens(graph, USDC)
    const perWhole = (token: Address, decimals: number) =>
      ((prices.get(token) as bigint) * 10n ** BigInt(decimals)) / PRICE_SCALE
    expect(perWhole(WETH, 18)).toBe(3_000_000_000n)
    expect(perWhole(SOBA, 18)).toBe(500_000n)
    expect(prices.has(LONE)).toBe(false)
  })

  it('values a pool with both sides priced, or twice its priced side', () => {
    const graph = registry([
      [WETH, USDC, 10n * 10n ** 18n, 30_000n * 10n ** 6n],
      [LONE, WETH, 5n, 10n ** 18n],
    ])
    const prices = priceTokens(graph, USDC)
    const [main, other] = graph.pools()
    expect(poolTvl(prices, main as never)).toBe(60_000n * 10n ** 6n)
    // LONE is priced through WETH here; a pool of two unpriced tokens has no TVL.
    expect(poolTvl(prices, other as never)).toBe(6_000n * 10n ** 6n)
    const orphan = registry([[LONE, SOBA, 1n, 1n]])
    expect(poolTvl(priceTokens(orphan, USDC), orphan.pools()[0] as never)).toBeNull()
  })

  it('gives spot prices in whole units with 18 decimals', () => {
    expect(formatE18(spotPriceE18(10n ** 18n, 3_000n * 10n ** 6n, 18, 6))).toBe('3000.000000000000000000')
    expect(formatE18(spotPriceE18(3_000n * 10n ** 6n, 10n ** 18n, 6, 18))).toBe('0.000333333333333333')
    expect(spotPriceE18(0n, 5n, 18, 18)).toBe(0n)
  })
})
