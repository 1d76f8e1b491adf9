import type { PoolRegistry, PoolState } from './pool-registry.js'

/** Fixed-point scale of token prices: quote base units per token base unit, times 10^36. */
export const PRICE_SCALE = 10n ** 36n
const E18 = 10n ** 18n

const POW10 = Array.from({ length: 78 }, (_, i) => 10n ** BigInt(i))
const pow10 = (decimals: number | null | undefined): bigint =>
  POW10[decimals ?? 0] ?? 10n ** BigInt(decimals ?? 0)

/** Spot price token1 per token0 in whole units, as an 18-decimal fixed-point integer. */
export function spotPriceE18(
  reserve0: bigint,
  reserve1: bigint,
  decimals0: number | null | undefined,
  decimals1: number | null | undefined,
): bigint {
  if (reserve0 === 0n) return 0n
  return (reserve1 * pow10(decimals0) * E18) / (reserve0 * pow10(decimals1))
}

/** Renders an 18-decimal fixed-point integer as a decimal string ("1234.500000000000000000"). */
export function formatE18(value: bigint): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const whole = abs / E18
  const fraction = (abs % E18).toString().padStart(18, '0')
  return `${negative ? '-' : ''}${whole}.${fraction}`
}

/** Reads a decimal string with up to 18 fraction digits (as formatE18 writes) back into 18-decimal fixed point. */
export function parseE18(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{0,18})\d*)?$/.exec(value)
  if (match === null) throw new Error(`not a decimal: ${value}`)
  const [, sign, whole, fraction = ''] = match
  const abs = BigInt(whole as string) * E18 + BigInt(fraction.padEnd(18, '0'))
  return sign === '-' ? -abs : abs
}

/**
 * Prices every token reachable from `quote` through the pool graph. Greedy by depth: each step
 * prices the unpriced token across the deepest pool (in quote value) whose other side is already
 * priced, so thin or hostile pools never set a price a deep one can set.
 */
export function priceTokens(graph: PoolRegistry, quote: string): Map<string, bigint> {
  const prices = new Map<string, bigint>([[quote.toLowerCase(), PRICE_SCALE]])
  const pools = graph.pools().filter((p) => p.reserve0 > 0n && p.reserve1 > 0n)
  for (;;) {
    let best: { token: string; price: bigint; depth: bigint } | null = null
    for (const pool of pools) {
      const candidate = extend(pool, prices)
      if (candidate && (best === null || candidate.depth > best.depth)) best = candidate
    }
    if (best === null) return prices
    prices.set(best.token, best.price)
  }
}

function extend(pool: PoolState, prices: Map<string, bigint>) {
  const p0 = prices.get(pool.token0)
  const p1 = prices.get(pool.token1)
  if (p0 !== undefined && p1 === undefined) {
    return { token: pool.token1, price: (p0 * pool.reserve0) / pool.reserve1, depth: p0 * pool.reserve0 }
  }
  if (p1 !== undefined && p0 === undefined) {
    return { token: pool.token0, price: (p1 * pool.reserve1) / pool.reserve0, depth: p1 * pool.reserve1 }
  }
  return null
}

/** Value of `amount` base units in quote base units, or null when the token has no price. */
export function valueInQuote(prices: Map<string, bigint>, token: string, amount: bigint): bigint | null {
  const price = prices.get(token)
  return price === undefined ? null : (price * amount) / PRICE_SCALE
}

/**
 * Pool TVL in quote base units. With one side priced the pool is worth twice that side, since a
 * constant-product pool holds equal value on both sides at its own price.
 */
export function poolTvl(prices: Map<string, bigint>, pool: PoolState): bigint | null {
  const v0 = valueInQuote(prices, pool.token0, pool.reserve0)
  const v1 = valueInQuote(prices, pool.token1, pool.reserve1)
  if (v0 !== null && v1 !== null) return v0 + v1
  if (v0 !== null) return 2n * v0
  if (v1 !== null) return 2n * v1
  return null
}
