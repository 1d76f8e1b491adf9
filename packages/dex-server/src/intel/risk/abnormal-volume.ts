/**
 * Volume against the pool's own history: windows of WINDOW_BLOCKS blocks, a robust z-score
 * (median and MAD) of each window's volume, and the senders behind a window far above normal.
 * Windows start every WINDOW_STEP blocks and overlap: with back-to-back windows a burst that
 * straddles a boundary is cut in two halves that may each look ordinary.
 */

export const WINDOW_BLOCKS = 25
export const WINDOW_STEP = 5
export const MIN_WINDOWS = 8
export const Z_THRESHOLD = 8
export const MIN_RATIO = 5
/** A sender behind at least this share of an abnormal window's volume is named. */
export const CONTRIBUTOR_SHARE = 0.2

export interface VolumeTrade {
  blockNumber: number
  txHash: string
  trader: string
  pool: string
  /** Volume on the pool's token0 side (in + out), base units. */
  volume0: bigint
}

export interface AbnormalVolume {
  pool: string
  window: [number, number]
  volume: bigint
  median: bigint
  z: number
  contributors: Array<{ address: string; evidence: string[] }>
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function findAbnormalVolume(trades: readonly VolumeTrade[]): AbnormalVolume[] {
  const byPool = new Map<string, Map<number, VolumeTrade[]>>()
  for (const t of trades) {
    const windows = byPool.get(t.pool) ?? new Map<number, VolumeTrade[]>()
    // every window start s (a multiple of WINDOW_STEP) with s <= block < s + WINDOW_BLOCKS
    const last = Math.floor(t.blockNumber / WINDOW_STEP) * WINDOW_STEP
    for (let start = last; start > t.blockNumber - WINDOW_BLOCKS; start -= WINDOW_STEP) {
      const list = windows.get(start) ?? []
      list.push(t)
      windows.set(start, list)
    }
    byPool.set(t.pool, windows)
  }
  const found: AbnormalVolume[] = []
  for (const [pool, windows] of byPool) {
    if (windows.size * WINDOW_STEP < MIN_WINDOWS * WINDOW_BLOCKS) continue
    const totals = [...windows.entries()].map(([start, list]) => ({
      start,
      list,
      volume: list.reduce((s, t) => s + t.volume0, 0n),
    }))
    // Ratios only: z-scores on floats of bigints are fine for ranking, never for amounts.
    const values = totals.map((t) => Number(t.volume))
    const med = median(values)
    const mad = median(values.map((v) => Math.abs(v - med))) * 1.4826
    for (const t of totals) {
      const z = mad > 0 ? (Number(t.volume) - med) / mad : 0
      if (z < Z_THRESHOLD || Number(t.volume) < med * MIN_RATIO) continue
      const bySender = new Map<string, { volume: bigint; evidence: string[] }>()
      for (const trade of t.list) {
        const entry = bySender.get(trade.trader) ?? { volume: 0n, evidence: [] }
        entry.volume += trade.volume0
        if (entry.evidence.length < 10) entry.evidence.push(trade.txHash)
        bySender.set(trade.trader, entry)
      }
      const contributors = [...bySender.entries()]
        .filter(([, e]) => Number(e.volume) >= Number(t.volume) * CONTRIBUTOR_SHARE)
        .map(([address, e]) => ({ address, evidence: e.evidence }))
      found.push({
        pool,
        window: [t.start, t.start + WINDOW_BLOCKS - 1],
        volume: t.volume,
        median: BigInt(Math.round(med)),
        z,
        contributors,
      })
    }
  }
  return found
}
