import { describe, expect, it } from 'vitest'
import { noiseTrade } from './noise-trader.js'
import { seededRandom } from './random.js'

const usd: Record<string, number> = { weth: 3_000 / 1e18, usdc: 1 / 1e6, dai: 1 / 1e18 }
const pools = [
  { token0: 'weth', token1: 'usdc', r0: 667n * 10n ** 18n, r1: 2_000_000n * 10n ** 6n },
  { token0: 'weth', token1: 'dai', r0: 333n * 10n ** 18n, r1: 1_000_000n * 10n ** 18n },
  { token0: 'usdc', token1: 'dai', r0: 500_000n * 10n ** 6n, r1: 500_000n * 10n ** 18n },
]

describe('noise trader', () => {
  const random = seededRandom(3)
  const trades = Array.from({ length: 2_000 }, () => noiseTrade(random, pools, (t) => usd[t])).filter(
    (t) => t !== null,
  )
  const usdOf = (t: (typeof trades)[0]) => Number(t.amountIn) * (usd[t.path[0]!] ?? 0)

  it('trades sizes spread over orders of magnitude, most of them small', () => {
    const sizes = trades.map(usdOf).sort((a, b) => a - b)
    const median = sizes[Math.floor(sizes.length / 2)]!
    expect(median).toBeGreaterThan(100)
    expect(median).toBeLessThan(400)
    expect(sizes.at(-1)! / sizes[0]!).toBeGreaterThan(100)
  })

  it('never takes more than 0.1% of the input reserve', () => {
    for (const t of trades) {
      const first = pools.find(
        (p) =>
          (p.token0 === t.path[0] && p.token1 === t.path[1]) ||
          (p.token1 === t.path[0] && p.token0 === t.path[1]),
      )!
      const reserveIn = first.token0 === t.path[0] ? first.r0 : first.r1
      expect(t.amountIn * 1000n).toBeLessThanOrEqual(reserveIn)
    }
  })

  it('routes some trades over two hops, through a token both pools share', () => {
    const twoHop = trades.filter((t) => t.path.length === 3)
    expect(twoHop.length / trades.length).toBeGreaterThan(0.15)
    expect(twoHop.every((t) => new Set(t.path).size === 3)).toBe(true)
  })
})
