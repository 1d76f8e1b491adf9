import type { Edge, PoolGraph } from './graph.js'
import { bestExactIn, bestExactOut, type PathSearchOptions, type RoutePath } from './path-search.js'
import { splitExactIn, splitExactOut } from './split.js'

export type TradeKind = 'exactIn' | 'exactOut'

/** One linear route of a trade, with its share of the amounts. */
export interface TradeLeg {
  edges: Edge[]
  /** Amount at every token of the leg, as getAmountsOut / getAmountsIn would return it. */
  amounts: bigint[]
}

export interface Trade {
  kind: TradeKind
  amountIn: bigint
  amountOut: bigint
  /** One leg, or two pool-disjoint legs when splitting pays. */
  legs: TradeLeg[]
}

export interface TradeOptions {
  maxHops?: number
  /** Consider a split across two routes (default true). */
  split?: boolean
  /**
   * A split must improve the amount by at least this many basis points of the single-route
   * amount to be chosen (default 1 = 0.01%), on top of its gas.
   */
  splitMinGainBps?: bigint
  /**
   * The gas of the second leg, in the token the split gains (output for exact in, input for
   * exact out), given that leg's hop count. A split whose gain does not exceed it is never chosen;
   * without it no split is chosen at all (its gas would go uncounted).
   */
  splitGasCost?: (hops: number) => bigint | undefined
}

/** The least a split must gain over `amount` to be worth its second leg, or undefined: never. */
function splitHurdle(amount: bigint, hops: number, options: TradeOptions): bigint | undefined {
  const gas = options.splitGasCost?.(hops)
  if (gas === undefined) return undefined
  return gas + (amount * (options.splitMinGainBps ?? 1n)) / 10_000n
}

/** Best exact-input trade: the best single route, or a two-route split when that pays more. */
export function bestTradeExactIn(
  graph: PoolGraph,
  tokenIn: number,
  tokenOut: number,
  amountIn: bigint,
  options: TradeOptions = {},
): Trade | undefined {
  const best = bestExactIn(graph, tokenIn, tokenOut, amountIn, options)
  if (!best) return undefined
  const single = tradeOf('exactIn', [best])
  if (options.split === false) return single
  // The second route will carry roughly half the amount: pick the best one for that size.
  const second = bestExactIn(graph, tokenIn, tokenOut, half(amountIn), {
    maxHops: options.maxHops,
    excludePools: poolsOf(best),
  })
  if (!second) return single
  const split = splitExactIn(amountIn, best.edges, second.edges)
  if (!split) return single
  const hurdle = splitHurdle(single.amountOut, second.edges.length, options)
  if (hurdle === undefined || split.amountOut <= single.amountOut + hurdle) return single
  return tradeOf('exactIn', [
    { edges: best.edges, amounts: split.amounts1 },
    { edges: second.edges, amounts: split.amounts2 },
  ])
}

/** Best exact-output trade: the cheapest single route, or a two-route split when that costs less. */
export function bestTradeExactOut(
  graph: PoolGraph,
  tokenIn: number,
  tokenOut: number,
  amountOut: bigint,
  options: TradeOptions = {},
): Trade | undefined {
  const best = bestExactOut(graph, tokenIn, tokenOut, amountOut, options)
  const single = best && tradeOf('exactOut', [best])
  if (options.split === false) return single
  // When no single route can pay the whole amount, two routes together still might.
  const first = best ?? feasibleExactOut(graph, tokenIn, tokenOut, half(amountOut), options)
  if (!first) return undefined
  const second = feasibleExactOut(graph, tokenIn, tokenOut, half(amountOut), {
    maxHops: options.maxHops,
    excludePools: poolsOf(first),
  })
  const split = second && splitExactOut(amountOut, first.edges, second.edges)
  if (!split) return single
  if (single) {
    const hurdle = splitHurdle(single.amountIn, second.edges.length, options)
    if (hurdle === undefined || split.amountIn >= single.amountIn - hurdle) return single
  }
  return tradeOf('exactOut', [
    { edges: first.edges, amounts: split.amounts1 },
    { edges: second.edges, amounts: split.amounts2 },
  ])
}

/** Best route for `amountOut`, or failing that the best route for a token's dust (best marginal price). */
function feasibleExactOut(
  graph: PoolGraph,
  tokenIn: number,
  tokenOut: number,
  amountOut: bigint,
  options: PathSearchOptions,
): RoutePath | undefined {
  return (
    bestExactOut(graph, tokenIn, tokenOut, amountOut, options) ??
    bestExactOut(graph, tokenIn, tokenOut, 1n, options)
  )
}

function half(amount: bigint): bigint {
  return amount > 1n ? amount / 2n : amount
}

function poolsOf(path: RoutePath): Set<number> {
  return new Set(path.edges.map((e) => e.pool))
}

function tradeOf(kind: TradeKind, legs: TradeLeg[]): Trade {
  let amountIn = 0n
  let amountOut = 0n
  for (const leg of legs) {
    amountIn += leg.amounts[0]!
    amountOut += leg.amounts[leg.amounts.length - 1]!
  }
  return { kind, amountIn, amountOut, legs }
}
