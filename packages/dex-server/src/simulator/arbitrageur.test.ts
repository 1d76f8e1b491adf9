import { describe, expect, it } from 'vitest'
import { arbitrageTrade } from './arbitrageur.js'

// A WETH/USDC pool with $2M a side at $3,000 (WETH 18 decimals, USDC 6).
const pool = (usdcPerWeth: number) => ({
  reserve0: BigInt(Math.round((2_000_000 / 3_000) * 1e6)) * 10n ** 12n,
  reserve1: BigInt(Math.round(2_000_000 * (usdcPerWeth / 3_000) * 1e6)),
  decimals0: 18,
  decimals1: 6,
  usd0: 3_000,
  usd1: 1,
})
const price = (r0: bigint, r1: bigint) => Number(r1) / 1e6 / (Number(r0) / 1e18)

describe('arbitrageur', () => {
  it('does not trade inside the 0.3% fee band, where no trade is profitable', () => {
    expect(arbitrageTrade(pool(3_000 * 1.002), 0)).toBeNull()
    expect(arbitrageTrade(pool(3_000 / 1.002), 0)).toBeNull()
  })

  it('does not trade when the profit is below the cost of gas', () => {
    const slightly = pool(3_000 * 1.0035)
    expect(arbitrageTrade(slightly, 0)).not.toBeNull()
    expect(arbitrageTrade(slightly, 5)).toBeNull()
  })

  it('sells the dear token and stops at the edge of the fee band, not on the reference', () => {
    const view = pool(3_000 * 1.02) // WETH dear in the pool
    const trade = arbitrageTrade(view, 5)
    expect(trade?.zeroForOne).toBe(true)
    const amountIn = trade!.amountIn
    const out = (amountIn * 997n * view.reserve1) / (view.reserve0 * 1000n + amountIn * 997n)
    const after = price(view.reserve0 + amountIn, view.reserve1 - out)
    expect(after / 3_000).toBeGreaterThan(1.0025)
    expect(after / 3_000).toBeLessThan(1.0035)
    expect(trade!.profitUsd).toBeGreaterThan(0)
  })

  it('buys the cheap token back the other way', () => {
    expect(arbitrageTrade(pool(3_000 * 0.98), 5)?.zeroForOne).toBe(false)
  })
})
