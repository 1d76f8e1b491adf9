const YEAR_MS = 365 * 24 * 60 * 60 * 1000

/**
 * Per-tick volatility of a random walk with the given annual volatility (0.8 = 80% a year, about
 * ETH's): it scales with the square root of time, so one-second ticks move ~1.4 bps each.
 */
export function perTickVolatility(annual: number, tickMs: number): number {
  return annual * Math.sqrt(tickMs / YEAR_MS)
}
