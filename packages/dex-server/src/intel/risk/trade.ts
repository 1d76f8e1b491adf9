import { type Kysely, sql } from 'kysely'
import type { PoolRegistry } from '../../market/pool-registry.js'
import { findingsOf, type RiskReason, type RiskScore, scoreOf } from './score.js'

/** A trade bigger than this many times the pool's median trade (same input token) is abnormal. */
export const ABNORMAL_TRADE_MULTIPLE = 20n
const HISTORY_TRADES = 500

export interface TradeRequest {
  from: string
  tokenIn: string
  tokenOut: string
  amountIn: bigint
}

export class NoPoolError extends Error {}

/**
 * Scores a trade before it is sent: honeypot verdicts of both tokens, the sender's own findings,
 * and the size against the pool's recent trades. Reads precomputed state and one bounded query.
 */
export async function scoreTrade(
  db: Kysely<any>,
  registry: PoolRegistry,
  trade: TradeRequest,
): Promise<RiskScore> {
  const pool = registry
    .pools()
    .find(
      (p) =>
        (p.token0 === trade.tokenIn && p.token1 === trade.tokenOut) ||
        (p.token1 === trade.tokenIn && p.token0 === trade.tokenOut),
    )
  if (!pool) throw new NoPoolError(`no pool trades ${trade.tokenIn} for ${trade.tokenOut}`)
  const reasons: RiskReason[] = []
  const verdicts = await db
    .selectFrom('intel_contracts')
    .select(['address', 'honeypot', 'analysis'])
    .where('address', 'in', [trade.tokenIn, trade.tokenOut])
    .execute()
  for (const v of verdicts) {
    if (!v.honeypot) continue
    const analysis = typeof v.analysis === 'string' ? JSON.parse(v.analysis) : v.analysis
    reasons.push({
      code: 'honeypot_token',
      weight: 80,
      detail: `${v.address} failed the buy-then-sell simulation (${analysis?.honeypot?.reason ?? 'sell blocked'})`,
      evidence: [analysis?.honeypot?.pool].filter(Boolean),
    })
  }
  reasons.push(...(await findingsOf(db, trade.from)))
  const zeroIn = pool.token0 === trade.tokenIn
  const history = await sql<{ median: string | null }>`
    select percentile_disc(0.5) within group (order by amount) as median from (
      select ${sql.raw(zeroIn ? 'amount0_in' : 'amount1_in')} as amount from swaps
      where pool = ${pool.address} and ${sql.raw(zeroIn ? 'amount0_in' : 'amount1_in')} > 0
      order by block_number desc, log_index desc limit ${HISTORY_TRADES}) recent`.execute(db)
  const median = history.rows[0]?.median ? BigInt(history.rows[0].median) : null
  if (median !== null && median > 0n && trade.amountIn > median * ABNORMAL_TRADE_MULTIPLE) {
    reasons.push({
      code: 'abnormal_volume',
      weight: 20,
      detail: `${trade.amountIn / median}× the pool's median trade of ${median}`,
      evidence: [pool.address],
    })
  }
  return scoreOf(reasons)
}
