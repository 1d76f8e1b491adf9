/**
 * Wash trading on an AMM (Victor & Weintraud 2021): trades that come back to where they started
 * (a token bought, then the very same amount sold back in a later block, by the same address or
 * by another address of its cluster) while printing volume. A trader who only buys or only sells a token never
 * closes a round trip and is never flagged.
 */

export interface Trade {
  blockNumber: number
  logIndex: number
  txHash: string
  /** The transaction's sender. */
  trader: string
  pool: string
  tokenIn: string
  tokenOut: string
  amountIn: bigint
  amountOut: bigint
}

/** A sell within this many blocks of the buy closes it. */
export const ROUND_TRIP_BLOCKS = 50
/** The sell must hand back the bought amount to within this many basis points. */
export const AMOUNT_TOLERANCE_BPS = 5n
/** Round trips before an address is flagged. */
export const MIN_ROUND_TRIPS = 2

export interface WashFinding {
  address: string
  roundTrips: number
  /** Buy and sell transaction hashes of the round trips it took part in. */
  evidence: string[]
  group: string
}

const close = (a: bigint, b: bigint) => {
  const diff = a > b ? a - b : b - a
  return diff * 10_000n <= a * AMOUNT_TOLERANCE_BPS
}

/**
 * Matches, per group (a cluster, or an address alone), each buy of a token with the first later
 * unmatched sell of the same amount in the same pool; flags members with MIN_ROUND_TRIPS or more
 * that both bought and sold in them.
 */
export function findWashTrading(
  trades: readonly Trade[],
  clusterOf: (address: string) => string | undefined,
): WashFinding[] {
  const groups = new Map<string, Trade[]>()
  for (const t of trades) {
    const group = clusterOf(t.trader) ?? t.trader
    const list = groups.get(group) ?? []
    list.push(t)
    groups.set(group, list)
  }
  const findings: WashFinding[] = []
  for (const [group, list] of groups) {
    list.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
    const used = new Set<number>()
    const per = new Map<string, { trips: number; bought: boolean; sold: boolean; evidence: string[] }>()
    const note = (address: string, side: 'bought' | 'sold', hashes: string[]) => {
      const entry = per.get(address) ?? { trips: 0, bought: false, sold: false, evidence: [] }
      entry.trips++
      entry[side] = true
      for (const h of hashes)
        if (!entry.evidence.includes(h) && entry.evidence.length < 20) entry.evidence.push(h)
      per.set(address, entry)
    }
    for (let i = 0; i < list.length; i++) {
      if (used.has(i)) continue
      const buy = list[i] as Trade
      for (let j = i + 1; j < list.length; j++) {
        const sell = list[j] as Trade
        if (sell.blockNumber - buy.blockNumber > ROUND_TRIP_BLOCKS) break
        if (
          used.has(j) ||
          sell.pool !== buy.pool ||
          sell.tokenIn !== buy.tokenOut ||
          sell.tokenOut !== buy.tokenIn
        )
          continue
        // Bought and sold back within one block is a sandwich or an arbitrage leg: MEV, not wash.
        if (sell.blockNumber === buy.blockNumber) continue
        if (!close(buy.amountOut, sell.amountIn)) continue
        used.add(i).add(j)
        note(buy.trader, 'bought', [buy.txHash, sell.txHash])
        if (sell.trader === buy.trader) (per.get(sell.trader) as { sold: boolean }).sold = true
        else note(sell.trader, 'sold', [buy.txHash, sell.txHash])
        break
      }
    }
    for (const [address, entry] of per) {
      if (entry.trips < MIN_ROUND_TRIPS) continue
      if (!entry.bought || !entry.sold) continue
      findings.push({ address, roundTrips: entry.trips, evidence: entry.evidence, group })
    }
  }
  return findings
}
