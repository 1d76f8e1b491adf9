import type { PoolGraph } from '../router/graph.js'
import { compare, formatRatio, midPrice, parseDecimal, type Ratio } from './prices.js'
import type { AccountStore, PriceAlert } from './store.js'

/** Decimals of a token as indexed; a token without sane decimals() counts as 0 (as market data does). */
export type DecimalsOf = (token: string) => number

export function currentPrice(
  graph: PoolGraph,
  decimalsOf: DecimalsOf,
  base: string,
  quote: string,
): Ratio | undefined {
  return midPrice(graph, base, quote, { base: decimalsOf(base), quote: decimalsOf(quote) })
}

/**
 * Checks every open alert against the current mid prices and marks those whose condition holds,
 * once each. Returns the alerts it triggered (for notification).
 */
export async function evaluateAlerts(
  store: AccountStore,
  graph: PoolGraph,
  decimalsOf: DecimalsOf,
  now = new Date(),
): Promise<Array<PriceAlert & { owner: string }>> {
  const triggered: Array<PriceAlert & { owner: string }> = []
  const prices = new Map<string, Ratio | undefined>()
  for (const alert of await store.openAlerts()) {
    const key = `${alert.baseToken}:${alert.quoteToken}`
    if (!prices.has(key)) prices.set(key, currentPrice(graph, decimalsOf, alert.baseToken, alert.quoteToken))
    const price = prices.get(key)
    if (!price) continue
    const side = compare(price, parseDecimal(alert.price))
    const hit = alert.direction === 'above' ? side >= 0 : side <= 0
    if (!hit) continue
    const shown = formatRatio(price)
    if (await store.trigger(alert.id, shown, now)) {
      triggered.push({ ...alert, triggeredAt: now.toISOString(), triggeredPrice: shown })
    }
  }
  return triggered
}
