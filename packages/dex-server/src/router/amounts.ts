/**
 * Uniswap v2 swap math, bigint for bigint what UniswapV2Library does on chain (0.30% fee as 997/1000,
 * floor division, +1 on getAmountIn). Quotes must equal the router's getAmountsOut/getAmountsIn, so
 * nothing here may round differently from the Solidity.
 */

export class InsufficientLiquidityError extends Error {
  override readonly name = 'InsufficientLiquidityError'
}

export class InsufficientAmountError extends Error {
  override readonly name = 'InsufficientAmountError'
}

/** Output of one hop for `amountIn` sold into a pool holding (reserveIn, reserveOut). */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n) throw new InsufficientAmountError('INSUFFICIENT_INPUT_AMOUNT')
  if (reserveIn <= 0n || reserveOut <= 0n) throw new InsufficientLiquidityError('INSUFFICIENT_LIQUIDITY')
  const amountInWithFee = amountIn * 997n
  return (amountInWithFee * reserveOut) / (reserveIn * 1000n + amountInWithFee)
}

/** Input one hop needs to pay out exactly `amountOut` from a pool holding (reserveIn, reserveOut). */
export function getAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountOut <= 0n) throw new InsufficientAmountError('INSUFFICIENT_OUTPUT_AMOUNT')
  if (reserveIn <= 0n || reserveOut <= 0n) throw new InsufficientLiquidityError('INSUFFICIENT_LIQUIDITY')
  // The contract reverts on underflow here (checked math); a pool cannot pay out its whole reserve.
  if (amountOut >= reserveOut) throw new InsufficientLiquidityError('INSUFFICIENT_LIQUIDITY')
  return (reserveIn * amountOut * 1000n) / ((reserveOut - amountOut) * 997n) + 1n
}

/** A hop's reserves oriented along the swap direction. */
export interface HopReserves {
  reserveIn: bigint
  reserveOut: bigint
}

/** Amounts at every token of a path for an exact input, like the router's getAmountsOut. */
export function getAmountsOut(amountIn: bigint, hops: readonly HopReserves[]): bigint[] {
  const amounts = [amountIn]
  let amount = amountIn
  for (const hop of hops) {
    amount = getAmountOut(amount, hop.reserveIn, hop.reserveOut)
    amounts.push(amount)
  }
  return amounts
}

/** Amounts at every token of a path for an exact output, like the router's getAmountsIn. */
export function getAmountsIn(amountOut: bigint, hops: readonly HopReserves[]): bigint[] {
  const amounts = new Array<bigint>(hops.length + 1)
  amounts[hops.length] = amountOut
  let amount = amountOut
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    amount = getAmountIn(amount, hop.reserveIn, hop.reserveOut)
    amounts[i] = amount
  }
  return amounts
}
