import { type Finding, WEIGHTS } from './findings.js'
import type { RiskReason } from './score.js'
import type { SwapLeg } from './wash.js'

/** The pool's recent trades a trade's size is judged against. */
export const HISTORY_TRADES = 500

/**
 * What the risk routes answer from, built by the worker at each refresh: every address's reasons,
 * the honeypot verdicts, and each pool's median trade per input token. The routes then read
 * memory: no request recomputes a median over the pool's history or queries the findings.
 */
export class RiskSnapshot {
  private readonly reasons = new Map<string, RiskReason[]>()
  private readonly medians = new Map<string, bigint>()

  constructor(
    findings: readonly Finding[],
    legs: readonly SwapLeg[],
    /** Honeypot tokens with the reason and pool of their failed simulation. */
    readonly honeypots: ReadonlyMap<string, { reason: string; pool: string | null }>,
    /** When it was built (ms since the epoch). */
    readonly builtAt: number,
  ) {
    for (const f of findings) {
      const list = this.reasons.get(f.address) ?? []
      list.push({ code: f.code, weight: WEIGHTS[f.code], detail: f.detail, evidence: f.evidence })
      this.reasons.set(f.address, list)
    }
    const recent = new Map<string, bigint[]>()
    // Newest first, so each list keeps the pool's last HISTORY_TRADES inputs of that token.
    const newest = [...legs].sort((a, b) => b.blockNumber - a.blockNumber || b.logIndex - a.logIndex)
    for (const leg of newest) {
      const key = `${leg.pool}|${leg.tokenIn}`
      const list = recent.get(key) ?? []
      if (list.length < HISTORY_TRADES) list.push(leg.amountIn)
      recent.set(key, list)
    }
    for (const [key, amounts] of recent) {
      // The lower median, as percentile_disc(0.5) picks: always one of the observed trades.
      const sorted = amounts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      this.medians.set(key, sorted[Math.floor((sorted.length - 1) / 2)] as bigint)
    }
  }

  reasonsOf(address: string): RiskReason[] {
    return this.reasons.get(address) ?? []
  }

  /** Median input of `tokenIn` in the pool's last HISTORY_TRADES trades that sold it, or null without any. */
  medianTradeIn(pool: string, tokenIn: string): bigint | null {
    return this.medians.get(`${pool}|${tokenIn}`) ?? null
  }
}
