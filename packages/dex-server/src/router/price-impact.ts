import type { Trade } from './trade.js'

const ONE = 10n ** 18n
export const PPM = 1_000_000n

/**
 * Price impact of a trade against the pools' mid prices, in parts per million, with the 0.30% LP fee
 * left out (the fee is a known cost, not impact; counting it would warn on every 3-hop trade).
 * For each leg the ideal output is amountIn · Π(reserveOut/reserveIn) · 0.997^hops; impact is how far
 * the exact output falls short of the legs' summed ideal. Exact-output trades use the same formula
 * on the amounts they resolve to.
 */
export function priceImpactPpm(trade: Trade): bigint {
  let ideal = 0n
  for (const leg of trade.legs) {
    let num = leg.amounts[0]! * ONE
    let den = 1n
    for (const e of leg.edges) {
      num *= e.reserveOut * 997n
      den *= e.reserveIn * 1000n
    }
    ideal += num / den
  }
  if (ideal === 0n) return 0n
  const ratio = (trade.amountOut * ONE * PPM) / ideal
  return ratio >= PPM ? 0n : PPM - ratio
}

export type ImpactSeverity = 'none' | 'low' | 'medium' | 'high' | 'blocked'

/** The usual warning tiers: 1%, 3%, 5%; above 15% a trade is blocked unless the user is an expert. */
export function impactSeverity(ppm: bigint): ImpactSeverity {
  if (ppm > 150_000n) return 'blocked'
  if (ppm >= 50_000n) return 'high'
  if (ppm >= 30_000n) return 'medium'
  if (ppm >= 10_000n) return 'low'
  return 'none'
}

/** ppm as a percent string with 4 decimals ("1.2345" = 1.2345%). */
export function ppmToPercent(ppm: bigint): string {
  const hundredths = ppm // 1 ppm = 0.0001 %
  const whole = hundredths / 10_000n
  const frac = (hundredths % 10_000n).toString().padStart(4, '0')
  return `${whole}.${frac}`
}
