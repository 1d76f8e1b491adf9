import { getAmountOut } from '../router/amounts.js'
import type { Trade } from '../router/trade.js'
import { afterTax, type TransferTax } from './transfer-tax.js'

/** Tokens of a trade's routes that tax transfers (token ids of the pool graph). */
export function taxedTokens(trade: Trade, taxOf: (token: number) => TransferTax): number[] {
  const tokens = new Set<number>()
  for (const leg of trade.legs) {
    for (const edge of leg.edges) {
      for (const token of [edge.from, edge.to]) {
        const tax = taxOf(token)
        if (tax.inBps > 0n || tax.outBps > 0n) tokens.add(token)
      }
    }
  }
  return [...tokens]
}

/**
 * A one-leg exact-input trade re-priced as the router's …SupportingFeeOnTransferTokens calls
 * execute it: every transfer pays its token's tax (the seller's into the first pool, each pool's
 * into the next, the last pool's to the recipient) and each pool prices what it actually received.
 * `amounts` are what the sender sends, what each pool pays out, and last what the recipient
 * receives (the amountOut).
 */
export function netOfTaxes(trade: Trade, taxOf: (token: number) => TransferTax): Trade {
  const leg = trade.legs[0]!
  const amounts = [trade.amountIn]
  let arriving = afterTax(trade.amountIn, taxOf(leg.edges[0]!.from).inBps)
  for (const edge of leg.edges) {
    const paid = arriving > 0n ? getAmountOut(arriving, edge.reserveIn, edge.reserveOut) : 0n
    amounts.push(paid)
    arriving = afterTax(paid, taxOf(edge.to).outBps)
  }
  amounts[amounts.length - 1] = arriving
  return { ...trade, amountOut: arriving, legs: [{ ...leg, amounts }] }
}
