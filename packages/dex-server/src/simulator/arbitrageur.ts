/** What the arbitrageur sees of one pool: reserves, decimals, and the reference USD prices. */
export interface ArbitrageView {
  reserve0: bigint
  reserve1: bigint
  decimals0: number
  decimals1: number
  usd0: number
  usd1: number
}

export interface ArbitrageTrade {
  /** Which side is sold into the pool. */
  zeroForOne: boolean
  amountIn: bigint
  /** Expected profit against the reference, in USD, after gas. */
  profitUsd: number
}

/**
 * The profit-maximising arbitrage against the reference price, or null when it would not pay for
 * its gas. Like a real arbitrageur it stops where the marginal trade breaks even after the 0.3% fee
 * (the pool ends at the edge of the fee band, not on the reference), and it trades only when the
 * expected profit is above the transaction's cost.
 *
 * Selling a of token0 buys out(a) = 997·a·y / (1000·x + 997·a) of token1; the profit
 * out(a)·usd1 − a·usd0 peaks where out'(a) = usd0/usd1, at a = (√(997000·x·y·usd1/usd0) − 1000·x)/997
 * (in base units, prices per base unit). Symmetric for token1.
 */
export function arbitrageTrade(view: ArbitrageView, gasUsd: number): ArbitrageTrade | null {
  const x = Number(view.reserve0)
  const y = Number(view.reserve1)
  if (x <= 0 || y <= 0) return null
  const unit0 = view.usd0 / 10 ** view.decimals0 // USD per base unit
  const unit1 = view.usd1 / 10 ** view.decimals1
  const best = (reserveIn: number, reserveOut: number, unitIn: number, unitOut: number) => {
    const amountIn =
      (Math.sqrt((997_000 * reserveIn * reserveOut * unitOut) / unitIn) - 1000 * reserveIn) / 997
    if (!(amountIn > 0)) return null
    const out = (997 * amountIn * reserveOut) / (1000 * reserveIn + 997 * amountIn)
    return { amountIn, profitUsd: out * unitOut - amountIn * unitIn - gasUsd }
  }
  const sell0 = best(x, y, unit0, unit1)
  const sell1 = best(y, x, unit1, unit0)
  const pick =
    sell0 && (!sell1 || sell0.profitUsd >= sell1.profitUsd)
      ? { ...sell0, zeroForOne: true }
      : sell1 && { ...sell1, zeroForOne: false }
  if (!pick || pick.profitUsd <= 0) return null
  return {
    zeroForOne: pick.zeroForOne,
    amountIn: BigInt(Math.floor(pick.amountIn)),
    profitUsd: pick.profitUsd,
  }
}
