import { gaussian } from './random.js'

/**
 * The "true" USD price of each token: a seeded geometric random walk per volatile token, with
 * stablecoins pinned near 1. The arbitrageur pulls pool prices toward it.
 */
export class ReferencePath {
  private readonly prices = new Map<string, number>()

  constructor(
    start: Array<{ address: string; usd: number }>,
    private readonly random: () => number,
    private readonly volatility: number,
  ) {
    for (const t of start) this.prices.set(t.address.toLowerCase(), t.usd)
  }

  price(address: string): number | undefined {
    return this.prices.get(address.toLowerCase())
  }

  step(): void {
    for (const [address, usd] of this.prices) {
      const stable = Math.abs(usd - 1) < 0.05
      // Stables wander a few basis points and revert to 1; the rest drift freely.
      const next = stable
        ? 1 + (usd - 1) * 0.5 + gaussian(this.random) * 0.0005
        : usd * Math.exp(gaussian(this.random) * this.volatility - (this.volatility * this.volatility) / 2)
      this.prices.set(address, next)
    }
  }
}
