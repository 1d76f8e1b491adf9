import { describe, expect, it } from 'vitest'
import {
  getAmountIn,
  getAmountOut,
  getAmountsIn,
  getAmountsOut,
  InsufficientAmountError,
  InsufficientLiquidityError,
} from './amounts.js'
import { mulberry32 } from './random-pools.js'

const E18 = 10n ** 18n

describe('v2 amounts match the contract library', () => {
  it('takes the 0.30% fee and floors like UniswapV2Library.getAmountOut', () => {
    // 1 token into a 100/200 pool: 997·1·200 / (100·1000 + 997) in exact rationals, floored.
    expect(getAmountOut(1n * E18, 100n * E18, 200n * E18)).toBe(
      (997n * E18 * 200n * E18) / (100n * E18 * 1000n + 997n * E18),
    )
    expect(getAmountOut(1000n, 1_000_000n, 1_000_000n)).toBe(996n)
  })

  it('adds one after the floor in getAmountIn, so the input always suffices and one less does not', () => {
    const rand = mulberry32(42)
    for (let i = 0; i < 500; i++) {
      const reserveIn = BigInt(Math.floor(rand() * 1e12)) + 1000n
      const reserveOut = BigInt(Math.floor(rand() * 1e12)) + 1000n
      const amountOut = BigInt(Math.floor(rand() * Number(reserveOut - 1n))) + 1n
      const amountIn = getAmountIn(amountOut, reserveIn, reserveOut)
      expect(getAmountOut(amountIn, reserveIn, reserveOut)).toBeGreaterThanOrEqual(amountOut)
      if (amountIn > 1n)
        expect(getAmountOut(amountIn - 1n, reserveIn, reserveOut)).toBeLessThanOrEqual(amountOut)
    }
  })

  it('refuses what the contract reverts on', () => {
    expect(() => getAmountOut(0n, 1n, 1n)).toThrow(InsufficientAmountError)
    expect(() => getAmountOut(1n, 0n, 1n)).toThrow(InsufficientLiquidityError)
    expect(() => getAmountIn(0n, 1n, 1n)).toThrow(InsufficientAmountError)
    expect(() => getAmountIn(100n, 1000n, 100n)).toThrow(InsufficientLiquidityError)
  })

  it('chains hops for multi-hop paths in both directions', () => {
    const hops = [
      { reserveIn: 5000n * E18, reserveOut: 10n * E18 },
      { reserveIn: 20n * E18, reserveOut: 40_000n * E18 },
    ]
    const out = getAmountsOut(100n * E18, hops)
    expect(out[1]).toBe(getAmountOut(100n * E18, hops[0]!.reserveIn, hops[0]!.reserveOut))
    expect(out[2]).toBe(getAmountOut(out[1]!, hops[1]!.reserveIn, hops[1]!.reserveOut))
    const back = getAmountsIn(out[2]!, hops)
    expect(back[2]).toBe(out[2])
    expect(back[0]).toBeLessThanOrEqual(100n * E18)
  })
})
