import { getAmountsIn, getAmountsOut } from './amounts.js'
import type { Edge, PoolGraph } from './graph.js'

/** A linear route through the graph with the amount at every token (first = in, last = out). */
export interface RoutePath {
  edges: Edge[]
  amounts: bigint[]
}

export interface PathSearchOptions {
  /** 1..3. Beyond 3 the layered search below could revisit a token, so it is capped (as the brief asks). */
  maxHops?: number
  /** Pools that may not be used (used to find a second, pool-disjoint route for splits). */
  excludePools?: ReadonlySet<number>
}

interface Reach {
  amount: bigint
  first: Edge
  second?: Edge
}

const NO_POOLS: ReadonlySet<number> = new Set()

function hopsOf(options: PathSearchOptions): number {
  const maxHops = options.maxHops ?? 3
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 3)
    throw new RangeError('maxHops must be 1, 2 or 3')
  return maxHops
}

// Inlined contract math (see amounts.ts) in the hot loops: no exceptions, no allocation.
function out(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const withFee = amountIn * 997n
  return (withFee * reserveOut) / (reserveIn * 1000n + withFee)
}

function need(amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  return (reserveIn * amountOut * 1000n) / ((reserveOut - amountOut) * 997n) + 1n
}

function reversed(edge: Edge): Edge {
  return {
    pool: edge.pool,
    from: edge.to,
    to: edge.from,
    reserveIn: edge.reserveOut,
    reserveOut: edge.reserveIn,
  }
}

/**
 * Best exact-input route of at most 3 hops. Every hop's output grows with its input, so the best
 * route reaching a token in k hops extends the best route reaching a neighbour in k-1 hops: one
 * layer per hop, keeping only the best amount per token, instead of enumerating every path.
 * Intermediate tokens exclude tokenIn and tokenOut, which keeps routes simple (no pool twice).
 * Ties keep the shorter route (less gas).
 */
export function bestExactIn(
  graph: PoolGraph,
  tokenIn: number,
  tokenOut: number,
  amountIn: bigint,
  options: PathSearchOptions = {},
): RoutePath | undefined {
  const maxHops = hopsOf(options)
  const excluded = options.excludePools ?? NO_POOLS
  if (tokenIn === tokenOut || amountIn <= 0n) return undefined
  let bestAmount = 0n
  let best: Edge[] | undefined

  const layer1 = new Map<number, Reach>()
  for (const e of graph.edges[tokenIn] ?? []) {
    if (excluded.has(e.pool)) continue
    const amount = out(amountIn, e.reserveIn, e.reserveOut)
    if (amount === 0n) continue
    if (e.to === tokenOut) {
      if (amount > bestAmount) {
        bestAmount = amount
        best = [e]
      }
    } else if (maxHops > 1) {
      const seen = layer1.get(e.to)
      if (!seen || amount > seen.amount) layer1.set(e.to, { amount, first: e })
    }
  }

  const layer2 = new Map<number, Reach>()
  if (maxHops > 1) {
    for (const reach of layer1.values()) {
      for (const e of graph.edges[reach.first.to]!) {
        if (e.to === tokenIn || e.pool === reach.first.pool || excluded.has(e.pool)) continue
        const amount = out(reach.amount, e.reserveIn, e.reserveOut)
        if (amount === 0n) continue
        if (e.to === tokenOut) {
          if (amount > bestAmount) {
            bestAmount = amount
            best = [reach.first, e]
          }
        } else if (maxHops > 2) {
          const seen = layer2.get(e.to)
          if (!seen || amount > seen.amount) layer2.set(e.to, { amount, first: reach.first, second: e })
        }
      }
    }
  }

  if (maxHops > 2 && layer2.size > 0) {
    // Walk the edges out of tokenOut backwards: only neighbours of tokenOut can finish a route.
    for (const back of graph.edges[tokenOut]!) {
      const reach = layer2.get(back.to)
      if (!reach || excluded.has(back.pool)) continue
      const amount = out(reach.amount, back.reserveOut, back.reserveIn)
      if (amount > bestAmount) {
        bestAmount = amount
        best = [reach.first, reach.second!, reversed(back)]
      }
    }
  }

  if (!best) return undefined
  return { edges: best, amounts: getAmountsOut(amountIn, best) }
}

/**
 * Best exact-output route of at most 3 hops: the mirror image of bestExactIn, walking back from
 * tokenOut and keeping the smallest input needed per token (getAmountIn grows with the output asked).
 * A hop that would drain a pool's whole reserve is impossible and skipped, as the contract would revert.
 */
export function bestExactOut(
  graph: PoolGraph,
  tokenIn: number,
  tokenOut: number,
  amountOut: bigint,
  options: PathSearchOptions = {},
): RoutePath | undefined {
  const maxHops = hopsOf(options)
  const excluded = options.excludePools ?? NO_POOLS
  if (tokenIn === tokenOut || amountOut <= 0n) return undefined
  let bestAmount = -1n
  let best: Edge[] | undefined
  const better = (amount: bigint) => bestAmount < 0n || amount < bestAmount

  // Edges stored out of tokenOut point backwards here: for the swap b -> tokenOut the pool's
  // input-side reserve is back.reserveOut.
  const layer1 = new Map<number, Reach>()
  for (const back of graph.edges[tokenOut] ?? []) {
    if (excluded.has(back.pool) || amountOut >= back.reserveIn) continue
    const amount = need(amountOut, back.reserveOut, back.reserveIn)
    const hop = reversed(back)
    if (back.to === tokenIn) {
      if (better(amount)) {
        bestAmount = amount
        best = [hop]
      }
    } else if (maxHops > 1) {
      const seen = layer1.get(back.to)
      if (!seen || amount < seen.amount) layer1.set(back.to, { amount, first: hop })
    }
  }

  const layer2 = new Map<number, Reach>()
  if (maxHops > 1) {
    for (const reach of layer1.values()) {
      for (const back of graph.edges[reach.first.from]!) {
        if (back.to === tokenOut || back.pool === reach.first.pool || excluded.has(back.pool)) continue
        if (reach.amount >= back.reserveIn) continue
        const amount = need(reach.amount, back.reserveOut, back.reserveIn)
        if (back.to === tokenIn) {
          if (better(amount)) {
            bestAmount = amount
            best = [reversed(back), reach.first]
          }
        } else if (maxHops > 2) {
          const seen = layer2.get(back.to)
          if (!seen || amount < seen.amount)
            layer2.set(back.to, { amount, first: reversed(back), second: reach.first })
        }
      }
    }
  }

  if (maxHops > 2 && layer2.size > 0) {
    for (const e of graph.edges[tokenIn]!) {
      const reach = layer2.get(e.to)
      if (!reach || excluded.has(e.pool) || reach.amount >= e.reserveOut) continue
      const amount = need(reach.amount, e.reserveIn, e.reserveOut)
      if (better(amount)) {
        bestAmount = amount
        best = [e, reach.first, reach.second!]
      }
    }
  }

  if (!best) return undefined
  return { edges: best, amounts: getAmountsIn(amountOut, best) }
}
