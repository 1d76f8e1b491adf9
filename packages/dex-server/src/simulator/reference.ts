import { gaussian } from './random.js'

/**
 * The "true" USD price of each token: a seeded geometric random walk per volatile token, with
 * stablecoins pinned near 1. The arbitrageur pulls pool prices toward it.
 */
export class ReferencePath {
  private readonly prices = new Map<string, number>()
  /** Tokens that start at $1 are stablecoins for good; a volatile token passing $1 stays volatile. */
  private readonly stables = new Set<string>()

  constructor(
    start: Array<{ address: string; usd: number }>,
    private readonly random: () => number,
    private readonly volatility: number,
  ) {
    for (const t of start) {
      this.prices.set(t.address.toLowerCase(), t.usd)
      if (Math.abs(t.usd - 1) < 0.05) this.stables.add(t.address.toLowerCase())
    }
  }

  price(address: string): number | undefined {
    return this.prices.get(address.toLowerCase())
  }

  step(): void {
    for (const [address, usd] of this.prices) {
      const stable = this.stables.has(address)
      // Stables wander a few basis points and revert to 1; the rest drift freely.
      const next = stable
        ? 1 + (usd - 1) * 0.5 + gaussian(this.random) * 0.0005
        : usd * Math.exp(gaussian(this.random) * this.volatility - (this.volatility * this.volatility) / 2)
      this.prices.set(address, next)
    }
  }
}
