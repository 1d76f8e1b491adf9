import type { PoolGraph } from '../router/graph.js'
import { bestExactIn } from '../router/path-search.js'

/** An exact positive rational. */
export interface Ratio {
  num: bigint
  den: bigint
}

/**
 * Mid price of one whole `base` token in whole `quote` tokens, along the route the router would
 * take for a small trade (deepest liquidity): Π reserveOut/reserveIn, scaled by the decimals.
 * Exact rational, no floats; undefined when no route joins the two tokens.
 */
export function midPrice(
  graph: PoolGraph,
  base: string,
  quote: string,
  decimals: { base: number; quote: number },
): Ratio | undefined {
  const from = graph.tokenId(base)
  const to = graph.tokenId(quote)
  if (from === undefined || to === undefined || from === to) return undefined
  // A thousandth of a token: small enough to follow the best mid price, large enough not to round to 0.
  const probe = 10n ** BigInt(Math.max(0, decimals.base - 3))
  const route = bestExactIn(graph, from, to, probe)
  if (!route) return undefined
  let num = 10n ** BigInt(decimals.base)
  let den = 10n ** BigInt(decimals.quote)
  for (const e of route.edges) {
    num *= e.reserveOut
    den *= e.reserveIn
  }
  return { num, den }
}

/** A decimal string ("1234.5") as an exact ratio. */
export function parseDecimal(value: string): Ratio {
  const [whole, frac = ''] = value.split('.')
  return { num: BigInt(`${whole}${frac}`), den: 10n ** BigInt(frac.length) }
}

export function compare(a: Ratio, b: Ratio): number {
  const left = a.num * b.den
  const right = b.num * a.den
  return left === right ? 0 : left > right ? 1 : -1
}

/** A ratio as a decimal string with up to `digits` decimals, trailing zeros trimmed. */
export function formatRatio(r: Ratio, digits = 18): string {
  const scaled = (r.num * 10n ** BigInt(digits)) / r.den
  const whole = scaled / 10n ** BigInt(digits)
  const frac = (scaled % 10n ** BigInt(digits)).toString().padStart(digits, '0').replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : whole.toString()
}
