import { gaussian } from './random.js'

export interface NoisePool {
  token0: string
  token1: string
  r0: bigint
  r1: bigint
}

export interface NoiseTrade {
  /** Token path: one hop, or two through a shared token. */
  path: string[]
  amountIn: bigint
  /** Output at the reserves seen (the trader accepts 5% less). */
  expectedOut: bigint
}

/** Median trade, in USD: retail swaps are small, a few are large (log-normal sizes). */
const MEDIAN_USD = 200
const SIZE_SIGMA = 1.4
/** No single noise trade takes more than this share of the first pool's input reserve. */
const MAX_RESERVE_SHARE = 0.001
const TWO_HOP_PROBABILITY = 0.3

/**
 * One noise trade: a random pool and direction, sometimes continued through a second pool that
 * shares the output token (a two-hop route), with a log-normal USD size (median $200) capped at
 * 0.1% of the input reserve (at most ~0.2% price impact). `usd` prices a token's base unit.
 */
export function noiseTrade(
  random: () => number,
  pools: readonly NoisePool[],
  usdPerBaseUnit: (token: string) => number | undefined,
): NoiseTrade | null {
  if (pools.length === 0) return null
  const first = pools[Math.floor(random() * pools.length)] as NoisePool
  const zeroForOne = random() < 0.5
  const [tokenIn, tokenOut] = zeroForOne ? [first.token0, first.token1] : [first.token1, first.token0]
  const reserveIn = zeroForOne ? first.r0 : first.r1
  const path = [tokenIn, tokenOut]
  const hops = [first]
  if (random() < TWO_HOP_PROBABILITY) {
    const onward = pools.filter(
      (p) =>
        p !== first &&
        (p.token0 === tokenOut || p.token1 === tokenOut) &&
        p.token0 !== tokenIn &&
        p.token1 !== tokenIn,
    )
    const next = onward[Math.floor(random() * onward.length)]
    if (next) {
      path.push(next.token0 === tokenOut ? next.token1 : next.token0)
      hops.push(next)
    }
  }
  const unit = usdPerBaseUnit(tokenIn)
  if (!unit || reserveIn === 0n) return null
  const usd = MEDIAN_USD * Math.exp(SIZE_SIGMA * gaussian(random))
  const cap = Number(reserveIn) * MAX_RESERVE_SHARE
  const amountIn = BigInt(Math.floor(Math.min(usd / unit, cap)))
  if (amountIn === 0n) return null
  let expectedOut = amountIn
  for (const [i, pool] of hops.entries()) {
    const forward = pool.token0 === path[i]
    const [rIn, rOut] = forward ? [pool.r0, pool.r1] : [pool.r1, pool.r0]
    expectedOut = (expectedOut * 997n * rOut) / (rIn * 1000n + expectedOut * 997n)
  }
  return { path, amountIn, expectedOut }
}
