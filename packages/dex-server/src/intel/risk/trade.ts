import type { PoolRegistry } from '../../market/pool-registry.js'
import { type RiskReason, type RiskScore, scoreOf } from './score.js'
import type { RiskSnapshot } from './snapshot.js'

/** A trade bigger than this many times the pool's median trade (same input token) is abnormal. */
export const ABNORMAL_TRADE_MULTIPLE = 20n

export interface TradeRequest {
  from: string
  tokenIn: string
  tokenOut: string
  amountIn: bigint
}

/** The pool that trades `tokenIn` for `tokenOut` (lowercase addresses), or undefined. */
export function poolOf(registry: PoolRegistry, tokenIn: string, tokenOut: string): string | undefined {
  return registry
    .pools()
    .find(
      (p) =>
        (p.token0 === tokenIn && p.token1 === tokenOut) || (p.token1 === tokenIn && p.token0 === tokenOut),
    )?.address
}

/**
 * Scores a trade through `pool` before it is sent: honeypot verdicts of both tokens, the sender's
 * own findings, and the size against the pool's recent trades. Reads the worker's snapshot only.
 */
export function scoreTrade(snapshot: RiskSnapshot, pool: string, trade: TradeRequest): RiskScore {
  const reasons: RiskReason[] = []
  for (const token of [trade.tokenIn, trade.tokenOut]) {
    const honeypot = snapshot.honeypots.get(token)
    if (!honeypot) continue
    reasons.push({
      code: 'honeypot_token',
      weight: 80,
      detail: `${token} failed the buy-then-sell simulation (${honeypot.reason})`,
      evidence: honeypot.pool ? [honeypot.pool] : [],
    })
  }
  reasons.push(...snapshot.reasonsOf(trade.from))
  const median = snapshot.medianTradeIn(pool, trade.tokenIn)
  if (median !== null && median > 0n && trade.amountIn > median * ABNORMAL_TRADE_MULTIPLE) {
    reasons.push({
      code: 'abnormal_volume',
      weight: 20,
      detail: `${trade.amountIn / median}× the pool's median trade of ${median}`,
      evidence: [pool],
    })
  }
  return scoreOf(reasons)
}
