/**
 * MEV classifiers over the swaps of a block range, in the spirit of mev-inspect-py: a swap is
 * attributed to its transaction's sender; sandwiches are found per block and pool, cyclic
 * arbitrage per transaction. Pure functions: the scanner feeds them rows and stores the findings.
 */

export interface SwapRow {
  blockNumber: number
  txIndex: number
  logIndex: number
  txHash: string
  /** The transaction's sender (EOA). */
  from: string
  pool: string
  tokenIn: string
  tokenOut: string
  amountIn: bigint
  amountOut: bigint
}

export interface MevFinding {
  kind: 'sandwich' | 'arbitrage'
  blockNumber: number
  txs: string[]
  attacker: string
  victim: string | null
  pools: string[]
  profitToken: string
  profit: bigint
}

/** The back-run may sell a little more or less than the front-run bought (inventory, rounding). */
const BACK_RUN_MATCH = { min: 90n, max: 110n }

/**
 * Front-run, victim(s), back-run in one block and one pool: the attacker swaps A→B, at least one
 * other sender swaps A→B after it, and the attacker swaps back B→A (about the amount it bought)
 * later in the block, ending with more A than it put in.
 */
export function findSandwiches(swaps: readonly SwapRow[]): MevFinding[] {
  const findings: MevFinding[] = []
  const groups = new Map<string, SwapRow[]>()
  for (const s of swaps) {
    const key = `${s.blockNumber}|${s.pool}`
    const list = groups.get(key) ?? []
    list.push(s)
    groups.set(key, list)
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.txIndex - b.txIndex || a.logIndex - b.logIndex)
    const used = new Set<string>()
    for (let i = 0; i < list.length; i++) {
      const front = list[i] as SwapRow
      if (used.has(front.txHash)) continue
      for (let j = i + 2; j < list.length; j++) {
        const back = list[j] as SwapRow
        if (back.from !== front.from || back.txHash === front.txHash || used.has(back.txHash)) continue
        if (back.tokenIn !== front.tokenOut || back.tokenOut !== front.tokenIn) continue
        if (back.amountIn * 100n < front.amountOut * BACK_RUN_MATCH.min) continue
        if (back.amountIn * 100n > front.amountOut * BACK_RUN_MATCH.max) continue
        const victims = list
          .slice(i + 1, j)
          .filter(
            (v) => v.from !== front.from && v.tokenIn === front.tokenIn && v.tokenOut === front.tokenOut,
          )
        const profit = back.amountOut - front.amountIn
        if (victims.length === 0 || profit <= 0n) continue
        used.add(front.txHash).add(back.txHash)
        const victim = victims[0] as SwapRow
        findings.push({
          kind: 'sandwich',
          blockNumber: front.blockNumber,
          txs: [front.txHash, ...victims.map((v) => v.txHash), back.txHash],
          attacker: front.from,
          victim: victim.from,
          pools: [front.pool],
          profitToken: front.tokenIn,
          profit,
        })
        break
      }
    }
  }
  return findings
}

/**
 * A transaction whose swaps chain token to token (each swap spends what the previous one
 * bought) through two or more pools and end in the starting token with more than it spent.
 */
export function findCyclicArbitrage(swaps: readonly SwapRow[]): MevFinding[] {
  const byTx = new Map<string, SwapRow[]>()
  for (const s of swaps) {
    const list = byTx.get(s.txHash) ?? []
    list.push(s)
    byTx.set(s.txHash, list)
  }
  const findings: MevFinding[] = []
  for (const list of byTx.values()) {
    if (list.length < 2) continue
    list.sort((a, b) => a.logIndex - b.logIndex)
    const first = list[0] as SwapRow
    const last = list.at(-1) as SwapRow
    const chained = list.every((s, k) => k === 0 || (list[k - 1] as SwapRow).tokenOut === s.tokenIn)
    if (!chained || last.tokenOut !== first.tokenIn) continue
    if (new Set(list.map((s) => s.pool)).size < 2) continue
    const profit = last.amountOut - first.amountIn
    if (profit <= 0n) continue
    findings.push({
      kind: 'arbitrage',
      blockNumber: first.blockNumber,
      txs: [first.txHash],
      attacker: first.from,
      victim: null,
      pools: list.map((s) => s.pool),
      profitToken: first.tokenIn,
      profit,
    })
  }
  return findings
}
