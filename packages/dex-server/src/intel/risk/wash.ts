/**
 * Wash trading on an AMM (Victor & Weintraud 2021): trades that come back to where they started
 * (a token bought, then the very same amount sold back in a later block, by the same address or
 * by another address of its cluster) while printing volume. A trader who only buys or only sells a token never
 * closes a round trip and is never flagged.
 *
 * Two things keep busy legitimate traders out. Positions are per transaction, not per swap: the
 * legs of a multi-hop route (and all three legs of a cyclic arbitrage) hand tokens straight from
 * pool to pool, so reading each leg as a buy or a sell invents round trips the trader never made.
 * And a washer's volume is mostly closed cycles, while an arbitrageur or an active trader who now
 * and then sells back what it bought matches a round trip by coincidence among many other trades.
 */

/** One Swap event, with the sender of its transaction. */
export interface SwapLeg {
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

/** What one transaction did to its sender's position: spent `amountIn` of one token, got `amountOut` of another. */
export interface Trade {
  blockNumber: number
  /** The first leg's log index: orders trades within a block. */
  logIndex: number
  txHash: string
  trader: string
  /** The pools it went through, in order (evidence only: round trips match on the tokens). */
  pools: string[]
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
/** Share of an address's trades that must be legs of closed round trips: most of its volume goes nowhere. */
export const MIN_CYCLE_SHARE = 0.5

export interface WashFinding {
  address: string
  roundTrips: number
  /** Buy and sell transaction hashes of the round trips it took part in. */
  evidence: string[]
  group: string
}

/**
 * Folds each transaction's swap legs into its sender's net position change. A transaction that
 * spends exactly one token and receives exactly one other is a trade; one whose tokens all come
 * back (a cyclic arbitrage: only a profit in the start token) changes no position and is no trade.
 */
export function positionChanges(legs: readonly SwapLeg[]): Trade[] {
  const byTx = new Map<string, SwapLeg[]>()
  for (const leg of legs) {
    const list = byTx.get(leg.txHash) ?? []
    list.push(leg)
    byTx.set(leg.txHash, list)
  }
  const trades: Trade[] = []
  for (const [txHash, list] of byTx) {
    list.sort((a, b) => a.logIndex - b.logIndex)
    const net = new Map<string, bigint>()
    for (const leg of list) {
      net.set(leg.tokenIn, (net.get(leg.tokenIn) ?? 0n) - leg.amountIn)
      net.set(leg.tokenOut, (net.get(leg.tokenOut) ?? 0n) + leg.amountOut)
    }
    const spent = [...net].filter(([, amount]) => amount < 0n)
    const received = [...net].filter(([, amount]) => amount > 0n)
    if (spent.length !== 1 || received.length !== 1) continue
    const first = list[0] as SwapLeg
    const [[tokenIn, minusIn], [tokenOut, amountOut]] = [spent[0], received[0]] as [
      [string, bigint],
      [string, bigint],
    ]
    trades.push({
      blockNumber: first.blockNumber,
      logIndex: first.logIndex,
      txHash,
      trader: first.trader,
      pools: list.map((l) => l.pool),
      tokenIn,
      tokenOut,
      amountIn: -minusIn,
      amountOut,
    })
  }
  return trades
}

const close = (a: bigint, b: bigint) => {
  const diff = a > b ? a - b : b - a
  return diff * 10_000n <= a * AMOUNT_TOLERANCE_BPS
}

/**
 * Matches, per group (a cluster, or an address alone), each buy of a token with the first later
 * unmatched sell of the same amount back into the token it was bought with; flags members with
 * MIN_ROUND_TRIPS or more that both bought and sold in them and whose trades are mostly such legs.
 */
export function findWashTrading(
  trades: readonly Trade[],
  clusterOf: (address: string) => string | undefined,
): WashFinding[] {
  const groups = new Map<string, Trade[]>()
  const tradesOf = new Map<string, number>()
  for (const t of trades) {
    tradesOf.set(t.trader, (tradesOf.get(t.trader) ?? 0) + 1)
    const group = clusterOf(t.trader) ?? t.trader
    const list = groups.get(group) ?? []
    list.push(t)
    groups.set(group, list)
  }
  const findings: WashFinding[] = []
  for (const [group, list] of groups) {
    list.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
    const used = new Set<number>()
    const per = new Map<
      string,
      { trips: number; legs: number; bought: boolean; sold: boolean; evidence: string[] }
    >()
    const note = (address: string, side: 'bought' | 'sold', hashes: string[]) => {
      const entry = per.get(address) ?? { trips: 0, legs: 0, bought: false, sold: false, evidence: [] }
      entry.trips++
      entry.legs++
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
        if (used.has(j) || sell.tokenIn !== buy.tokenOut || sell.tokenOut !== buy.tokenIn) continue
        // Bought and sold back within one block is a sandwich or an arbitrage leg: MEV, not wash.
        if (sell.blockNumber === buy.blockNumber) continue
        if (!close(buy.amountOut, sell.amountIn)) continue
        used.add(i).add(j)
        note(buy.trader, 'bought', [buy.txHash, sell.txHash])
        if (sell.trader === buy.trader) {
          const entry = per.get(sell.trader) as { sold: boolean; legs: number }
          entry.sold = true
          entry.legs++
        } else note(sell.trader, 'sold', [buy.txHash, sell.txHash])
        break
      }
    }
    for (const [address, entry] of per) {
      if (entry.trips < MIN_ROUND_TRIPS) continue
      if (!entry.bought || !entry.sold) continue
      if (entry.legs < MIN_CYCLE_SHARE * (tradesOf.get(address) ?? 0)) continue
      findings.push({ address, roundTrips: entry.trips, evidence: entry.evidence, group })
    }
  }
  return findings
}
