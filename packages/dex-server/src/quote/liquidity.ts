import type { Address } from 'viem'
import type { PoolGraph, PoolState } from '../router/graph.js'
import { isqrt } from '../router/split.js'
import { InputError } from './input-error.js'
import { minimumReceived } from './request.js'

/** Uniswap v2 locks this much LP supply forever on a pool's first mint. */
export const MINIMUM_LIQUIDITY = 1000n

export interface AddLiquidityPlan {
  pool: PoolState | undefined
  amountA: bigint
  amountB: bigint
  amountAMin: bigint
  amountBMin: bigint
  /** LP tokens minted (before a protocol fee mint, which only dilutes slightly when on). */
  liquidity: bigint
  /** Share of the pool after the deposit, ppm. */
  shareAfterPpm: bigint
}

function find(
  graph: PoolGraph,
  tokenA: Address,
  tokenB: Address,
): { pool: PoolState; aIs0: boolean } | undefined {
  const a = tokenA.toLowerCase()
  const b = tokenB.toLowerCase()
  for (const pool of graph.pools) {
    const t0 = pool.token0.toLowerCase()
    const t1 = pool.token1.toLowerCase()
    if (t0 === a && t1 === b) return { pool, aIs0: true }
    if (t0 === b && t1 === a) return { pool, aIs0: false }
  }
  return undefined
}

export function findPool(graph: PoolGraph, tokenA: Address, tokenB: Address) {
  return find(graph, tokenA, tokenB)
}

/** The router's quote(): the amount of B worth `amountA` at the pool's current ratio. */
function ratio(amountA: bigint, reserveA: bigint, reserveB: bigint): bigint {
  return (amountA * reserveB) / reserveA
}

/**
 * What addLiquidity will deposit: the router's own _addLiquidity choice (keep A and fit B to the
 * pool ratio, or keep B and fit A), the minimums under slippage, and the LP tokens minted.
 * `amountB` may be left out for an existing pool: it is then fitted to the ratio.
 */
export function planAddLiquidity(
  graph: PoolGraph,
  tokenA: Address,
  tokenB: Address,
  amountADesired: bigint,
  amountBDesired: bigint | undefined,
  slippageBps: bigint,
): AddLiquidityPlan {
  const found = find(graph, tokenA, tokenB)
  const reserves = found && {
    a: found.aIs0 ? found.pool.reserve0 : found.pool.reserve1,
    b: found.aIs0 ? found.pool.reserve1 : found.pool.reserve0,
  }
  if (!found || !reserves || (reserves.a === 0n && reserves.b === 0n)) {
    // A new (or emptied) pool: the depositor sets the price, so both amounts are needed.
    if (amountBDesired === undefined) {
      throw new InputError(400, 'amount_required', 'a new pool needs both amountA and amountB', '/amountB')
    }
    const liquidity = isqrt(amountADesired * amountBDesired) - MINIMUM_LIQUIDITY
    if (liquidity <= 0n)
      throw new InputError(422, 'insufficient_liquidity_minted', 'the deposit is too small to mint LP tokens')
    return {
      pool: found?.pool,
      amountA: amountADesired,
      amountB: amountBDesired,
      amountAMin: amountADesired,
      amountBMin: amountBDesired,
      liquidity,
      shareAfterPpm: (liquidity * 1_000_000n) / (liquidity + MINIMUM_LIQUIDITY),
    }
  }
  let amountA = amountADesired
  let amountB = ratio(amountADesired, reserves.a, reserves.b)
  if (amountBDesired !== undefined && amountB > amountBDesired) {
    amountB = amountBDesired
    amountA = ratio(amountBDesired, reserves.b, reserves.a)
  }
  if (amountA === 0n || amountB === 0n)
    throw new InputError(422, 'insufficient_amount', 'the deposit rounds to zero on one side')
  const supply = found.pool.totalSupply
  const liquidity =
    supply === undefined ? 0n : min((amountA * supply) / reserves.a, (amountB * supply) / reserves.b)
  return {
    pool: found.pool,
    amountA,
    amountB,
    amountAMin: minimumReceived(amountA, slippageBps),
    amountBMin: minimumReceived(amountB, slippageBps),
    liquidity,
    shareAfterPpm: supply === undefined ? 0n : (liquidity * 1_000_000n) / (supply + liquidity),
  }
}

export interface RemoveLiquidityPlan {
  pool: PoolState
  amountA: bigint
  amountB: bigint
  amountAMin: bigint
  amountBMin: bigint
}

/** What burning `liquidity` LP tokens pays out: the pro-rata share of both reserves. */
export function planRemoveLiquidity(
  graph: PoolGraph,
  tokenA: Address,
  tokenB: Address,
  liquidity: bigint,
  slippageBps: bigint,
): RemoveLiquidityPlan {
  const found = find(graph, tokenA, tokenB)
  if (!found) throw new InputError(404, 'unknown_pool', 'no pool for these two tokens')
  const supply = found.pool.totalSupply
  if (supply === undefined || supply === 0n)
    throw new InputError(422, 'empty_pool', 'the pool has no LP supply')
  if (liquidity > supply)
    throw new InputError(400, 'amount_overflow', 'liquidity exceeds the LP supply', '/liquidity')
  const [ra, rb] = found.aIs0
    ? [found.pool.reserve0, found.pool.reserve1]
    : [found.pool.reserve1, found.pool.reserve0]
  const amountA = (liquidity * ra) / supply
  const amountB = (liquidity * rb) / supply
  return {
    pool: found.pool,
    amountA,
    amountB,
    amountAMin: minimumReceived(amountA, slippageBps),
    amountBMin: minimumReceived(amountB, slippageBps),
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
