import { describe, expect, it } from 'vitest'
import { getAmountsIn, getAmountsOut } from './amounts.js'
import { PoolGraph, type PoolState } from './graph.js'
import { impactSeverity, ppmToPercent, priceImpactPpm } from './price-impact.js'
import { bestTradeExactIn, bestTradeExactOut } from './trade.js'

const E18 = 10n ** 18n
const A = '0x00000000000000000000000000000000000000a1'
const B = '0x00000000000000000000000000000000000000b2'
const C = '0x00000000000000000000000000000000000000c3'

function pool(n: number, token0: string, token1: string, r0: bigint, r1: bigint): PoolState {
  return {
    address: `0x${n.toString(16).padStart(40, '0')}`,
    token0: token0 as `0x${string}`,
    token1: token1 as `0x${string}`,
    reserve0: r0,
    reserve1: r1,
  }
}

// A-B directly, and A-C-B as a second, pool-disjoint route of similar depth.
const graph = new PoolGraph([
  pool(1, A, B, 1000n * E18, 2000n * E18),
  pool(2, A, C, 800n * E18, 800n * E18),
  pool(3, C, B, 900n * E18, 1800n * E18),
])
const [a, b] = [graph.tokenId(A)!, graph.tokenId(B)!]
/** Splits priced as if the second leg's gas were free (the tests below are about the amounts). */
const gasFree = { splitGasCost: () => 0n }

describe('splitting a trade across two routes', () => {
  it('splits a large exact-input trade when two routes together pay more', () => {
    const amountIn = 300n * E18
    const single = bestTradeExactIn(graph, a, b, amountIn, { split: false })!
    const trade = bestTradeExactIn(graph, a, b, amountIn, gasFree)!
    expect(trade.legs).toHaveLength(2)
    expect(trade.amountOut).toBeGreaterThan(single.amountOut)
    expect(trade.amountIn).toBe(amountIn)
    for (const leg of trade.legs) expect(leg.amounts).toEqual(getAmountsOut(leg.amounts[0]!, leg.edges))
  })

  it('picks the split fraction at the optimum: moving 1% either way pays less', () => {
    const amountIn = 300n * E18
    const trade = bestTradeExactIn(graph, a, b, amountIn, gasFree)!
    const [first, second] = trade.legs as [(typeof trade.legs)[0], (typeof trade.legs)[0]]
    const x = first.amounts[0]!
    const total = (x1: bigint) =>
      getAmountsOut(x1, first.edges).at(-1)! + getAmountsOut(amountIn - x1, second.edges).at(-1)!
    const step = amountIn / 100n
    expect(total(x)).toBe(trade.amountOut)
    expect(total(x + step)).toBeLessThan(trade.amountOut)
    expect(total(x - step)).toBeLessThan(trade.amountOut)
    expect(total(x + step / 100n)).toBeLessThanOrEqual(trade.amountOut)
    expect(total(x - step / 100n)).toBeLessThanOrEqual(trade.amountOut)
  })

  it('keeps a single route when the split gains less than the threshold', () => {
    // Small: the direct pool's better mid price takes the whole amount.
    expect(bestTradeExactIn(graph, a, b, 10n ** 15n, gasFree)!.legs).toHaveLength(1)
    // Large, but the caller asks a 10% gain before paying for a second transaction.
    const split = bestTradeExactIn(graph, a, b, 300n * E18, gasFree)!
    const single = bestTradeExactIn(graph, a, b, 300n * E18, { split: false })!
    const gainBps = ((split.amountOut - single.amountOut) * 10_000n) / single.amountOut
    expect(gainBps).toBeGreaterThan(100n)
    expect(gainBps).toBeLessThan(1000n)
    expect(
      bestTradeExactIn(graph, a, b, 300n * E18, { ...gasFree, splitMinGainBps: 1000n })!.legs,
    ).toHaveLength(1)
  })

  it('never splits for a gain smaller than the gas of the second leg, nor when that gas is unknown', () => {
    const amountIn = 300n * E18
    const single = bestTradeExactIn(graph, a, b, amountIn, { split: false })!
    const split = bestTradeExactIn(graph, a, b, amountIn, gasFree)!
    const gain = split.amountOut - single.amountOut
    const bps = (single.amountOut * 1n) / 10_000n // the 0.01% minimum on top of gas
    const hops: number[] = []
    const costing = (gas: bigint) => ({
      splitGasCost: (n: number) => {
        hops.push(n)
        return gas
      },
    })
    expect(bestTradeExactIn(graph, a, b, amountIn, costing(gain - bps - 1n))!.legs).toHaveLength(2)
    expect(bestTradeExactIn(graph, a, b, amountIn, costing(gain - bps))!.legs).toHaveLength(1)
    expect(hops).toEqual([2, 2]) // the second route, A-C-B
    expect(bestTradeExactIn(graph, a, b, amountIn)!.legs).toHaveLength(1)
    expect(bestTradeExactOut(graph, a, b, 500n * E18)!.legs).toHaveLength(1)
  })

  it('splits an exact-output trade to spend less, and can pay more than any single route holds', () => {
    const amountOut = 500n * E18
    const single = bestTradeExactOut(graph, a, b, amountOut, { split: false })!
    const trade = bestTradeExactOut(graph, a, b, amountOut, gasFree)!
    expect(trade.legs).toHaveLength(2)
    expect(trade.amountIn).toBeLessThan(single.amountIn)
    expect(trade.amountOut).toBe(amountOut)
    for (const leg of trade.legs) expect(leg.amounts).toEqual(getAmountsIn(leg.amounts.at(-1)!, leg.edges))
    // 1900 B cannot come out of pool 1 (2000 B, but the price explodes) and not out of pool 3 (1800 B) alone.
    const huge = bestTradeExactOut(graph, a, b, 2500n * E18, { split: false })
    expect(huge).toBeUndefined()
    const both = bestTradeExactOut(graph, a, b, 2500n * E18)
    expect(both?.legs).toHaveLength(2)
  })
})

describe('price impact against the mid price, without the LP fee', () => {
  it('is the shortfall from reserveOut/reserveIn after the fee', () => {
    const g = new PoolGraph([pool(1, A, B, 1000n * E18, 1000n * E18)])
    const trade = bestTradeExactIn(g, g.tokenId(A)!, g.tokenId(B)!, 100n * E18)!
    // out = 99.7·1000/(1000 + 99.7) = 90.6610…; ideal = 99.7; impact = 9.0662%
    expect(ppmToPercent(priceImpactPpm(trade))).toBe('9.0662')
    const tiny = bestTradeExactIn(g, g.tokenId(A)!, g.tokenId(B)!, 10n ** 12n)!
    // 1e-9 of the pool: below one ppm (the ratio is floored, so at most 1 ppm shows).
    expect(priceImpactPpm(tiny)).toBeLessThanOrEqual(1n)
  })

  it('warns at 1, 3 and 5% and blocks above 15%', () => {
    expect(impactSeverity(9_999n)).toBe('none')
    expect(impactSeverity(10_000n)).toBe('low')
    expect(impactSeverity(30_000n)).toBe('medium')
    expect(impactSeverity(50_000n)).toBe('high')
    expect(impactSeverity(150_000n)).toBe('high')
    expect(impactSeverity(150_001n)).toBe('blocked')
  })
})
