import { type Address, encodeFunctionData, type Hex, parseAbi } from 'viem'

/**
 * Unsigned transactions for the Router02 interface (ours keeps Uniswap v2's ABI, so these work on
 * any v2 fork). The client signs and sends; the server never holds a user key.
 */
export interface UnsignedTx {
  to: Address
  data: Hex
  /** Wei, as a decimal string in JSON. */
  value: bigint
}

const routerAbi = parseAbi([
  'function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[] amounts)',
  'function swapTokensForExactTokens(uint256 amountOut, uint256 amountInMax, address[] path, address to, uint256 deadline) returns (uint256[] amounts)',
  'function swapExactETHForTokens(uint256 amountOutMin, address[] path, address to, uint256 deadline) payable returns (uint256[] amounts)',
  'function swapETHForExactTokens(uint256 amountOut, address[] path, address to, uint256 deadline) payable returns (uint256[] amounts)',
  'function swapExactTokensForETH(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[] amounts)',
  'function swapTokensForExactETH(uint256 amountOut, uint256 amountInMax, address[] path, address to, uint256 deadline) returns (uint256[] amounts)',
  'function swapExactTokensForTokensSupportingFeeOnTransferTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)',
  'function swapExactETHForTokensSupportingFeeOnTransferTokens(uint256 amountOutMin, address[] path, address to, uint256 deadline) payable',
  'function swapExactTokensForETHSupportingFeeOnTransferTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)',
  'function addLiquidity(address tokenA, address tokenB, uint256 amountADesired, uint256 amountBDesired, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) returns (uint256 amountA, uint256 amountB, uint256 liquidity)',
  'function addLiquidityETH(address token, uint256 amountTokenDesired, uint256 amountTokenMin, uint256 amountETHMin, address to, uint256 deadline) payable returns (uint256 amountToken, uint256 amountETH, uint256 liquidity)',
  'function removeLiquidity(address tokenA, address tokenB, uint256 liquidity, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) returns (uint256 amountA, uint256 amountB)',
  'function removeLiquidityETH(address token, uint256 liquidity, uint256 amountTokenMin, uint256 amountETHMin, address to, uint256 deadline) returns (uint256 amountToken, uint256 amountETH)',
])

const erc20Abi = parseAbi(['function approve(address spender, uint256 amount) returns (bool)'])

export function approveTx(token: Address, spender: Address, amount: bigint): UnsignedTx {
  return {
    to: token,
    data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [spender, amount] }),
    value: 0n,
  }
}

export interface SwapTxInput {
  router: Address
  kind: 'exactIn' | 'exactOut'
  /** Native ETH on the input or output side (the path then starts or ends with WETH). */
  native?: 'in' | 'out'
  path: Address[]
  amountIn: bigint
  amountOut: bigint
  /** Minimum out (exact in) or maximum in (exact out), slippage applied. */
  limit: bigint
  to: Address
  deadline: bigint
  /**
   * A token on the path taxes transfers: use the router's …SupportingFeeOnTransferTokens calls,
   * which check what the recipient actually received (exact input only).
   */
  feeOnTransfer?: boolean
}

export function swapTx(s: SwapTxInput): UnsignedTx {
  const { router, path, to, deadline, limit } = s
  const call = (functionName: string, args: readonly unknown[], value = 0n): UnsignedTx => ({
    to: router,
    data: encodeFunctionData({ abi: routerAbi, functionName, args } as Parameters<
      typeof encodeFunctionData
    >[0]),
    value,
  })
  if (s.kind === 'exactIn' && s.feeOnTransfer) {
    const fot = 'SupportingFeeOnTransferTokens'
    if (s.native === 'in') return call(`swapExactETHForTokens${fot}`, [limit, path, to, deadline], s.amountIn)
    if (s.native === 'out')
      return call(`swapExactTokensForETH${fot}`, [s.amountIn, limit, path, to, deadline])
    return call(`swapExactTokensForTokens${fot}`, [s.amountIn, limit, path, to, deadline])
  }
  if (s.kind === 'exactIn') {
    if (s.native === 'in') return call('swapExactETHForTokens', [limit, path, to, deadline], s.amountIn)
    if (s.native === 'out') return call('swapExactTokensForETH', [s.amountIn, limit, path, to, deadline])
    return call('swapExactTokensForTokens', [s.amountIn, limit, path, to, deadline])
  }
  // ETH in for an exact output: send the maximum; the router refunds what it does not use.
  if (s.native === 'in') return call('swapETHForExactTokens', [s.amountOut, path, to, deadline], limit)
  if (s.native === 'out') return call('swapTokensForExactETH', [s.amountOut, limit, path, to, deadline])
  return call('swapTokensForExactTokens', [s.amountOut, limit, path, to, deadline])
}

export interface AddLiquidityTxInput {
  router: Address
  tokenA: Address
  tokenB: Address
  amountA: bigint
  amountB: bigint
  amountAMin: bigint
  amountBMin: bigint
  /** Which side is native ETH (its address must then be WETH). */
  native?: 'A' | 'B'
  to: Address
  deadline: bigint
}

export function addLiquidityTx(s: AddLiquidityTxInput): UnsignedTx {
  if (s.native) {
    const [token, amount, min, eth, ethMin] =
      s.native === 'A'
        ? [s.tokenB, s.amountB, s.amountBMin, s.amountA, s.amountAMin]
        : [s.tokenA, s.amountA, s.amountAMin, s.amountB, s.amountBMin]
    return {
      to: s.router,
      data: encodeFunctionData({
        abi: routerAbi,
        functionName: 'addLiquidityETH',
        args: [token, amount, min, ethMin, s.to, s.deadline],
      }),
      value: eth,
    }
  }
  return {
    to: s.router,
    data: encodeFunctionData({
      abi: routerAbi,
      functionName: 'addLiquidity',
      args: [s.tokenA, s.tokenB, s.amountA, s.amountB, s.amountAMin, s.amountBMin, s.to, s.deadline],
    }),
    value: 0n,
  }
}

export interface RemoveLiquidityTxInput {
  router: Address
  tokenA: Address
  tokenB: Address
  liquidity: bigint
  amountAMin: bigint
  amountBMin: bigint
  native?: 'A' | 'B'
  to: Address
  deadline: bigint
}

export function removeLiquidityTx(s: RemoveLiquidityTxInput): UnsignedTx {
  if (s.native) {
    const [token, min, ethMin] =
      s.native === 'A' ? [s.tokenB, s.amountBMin, s.amountAMin] : [s.tokenA, s.amountAMin, s.amountBMin]
    return {
      to: s.router,
      data: encodeFunctionData({
        abi: routerAbi,
        functionName: 'removeLiquidityETH',
        args: [token, s.liquidity, min, ethMin, s.to, s.deadline],
      }),
      value: 0n,
    }
  }
  return {
    to: s.router,
    data: encodeFunctionData({
      abi: routerAbi,
      functionName: 'removeLiquidity',
      args: [s.tokenA, s.tokenB, s.liquidity, s.amountAMin, s.amountBMin, s.to, s.deadline],
    }),
    value: 0n,
  }
}

export function txJson(tx: UnsignedTx): { to: Address; data: Hex; value: string } {
  return { to: tx.to, data: tx.data, value: tx.value.toString() }
}
