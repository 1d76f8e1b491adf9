import { describe, expect, it } from 'vitest'
import { getAmountsIn, getAmountsOut } from './amounts.js'
import { type Edge, PoolGraph } from './graph.js'
import { bestExactIn, bestExactOut } from './path-search.js'
import { mulberry32, randomPools } from './random-pools.js'

/** Every simple path of at most 3 hops (no pool twice, tokenOut only at the end), by brute force. */
function allPaths(graph: PoolGraph, from: number, to: number): Edge[][] {
  const found: Edge[][] = []
  const walk = (at: number, path: Edge[], tokens: Set<number>) => {
    for (const e of graph.edges[at]!) {
      if (tokens.has(e.to)) continue
      const next = [...path, e]
      if (e.to === to) found.push(next)
      else if (next.length < 3) walk(e.to, next, new Set([...tokens, e.to]))
    }
  }
  walk(from, [], new Set([from]))
  return found
}

function tryAmounts(f: () => bigint[]): bigint[] | undefined {
  try {
    return f()
  } catch {
    return undefined
  }
}

describe('route search finds the exact optimum over all routes of up to 3 hops', () => {
  const { tokens, pools } = randomPools(3, 25, 80)
  const graph = new PoolGraph(pools)
  const rand = mulberry32(9)
  const queries = Array.from({ length: 60 }, () => {
    const a = Math.floor(rand() * tokens.length)
    let b = Math.floor(rand() * tokens.length)
    if (b === a) b = (a + 1) % tokens.length
    return { a, b, amount: 10n ** BigInt(14 + Math.floor(rand() * 9)) }
  })

  it('exact input: no enumerated path pays more', () => {
    for (const q of queries) {
      const found = bestExactIn(graph, q.a, q.b, q.amount)
      let best = 0n
      for (const path of allPaths(graph, q.a, q.b)) {
        const amounts = tryAmounts(() => getAmountsOut(q.amount, path))
        if (amounts && amounts.at(-1)! > best) best = amounts.at(-1)!
      }
      expect(found?.amounts.at(-1) ?? 0n).toBe(best)
      if (found) expect(found.amounts).toEqual(getAmountsOut(q.amount, found.edges))
    }
  })

  it('exact output: no enumerated path costs less', () => {
    for (const q of queries) {
      const found = bestExactOut(graph, q.a, q.b, q.amount)
      let best: bigint | undefined
      for (const path of allPaths(graph, q.a, q.b)) {
        const amounts = tryAmounts(() => getAmountsIn(q.amount, path))
        if (amounts && (best === undefined || amounts[0]! < best)) best = amounts[0]!
      }
      expect(found?.amounts[0]).toBe(best)
    }
  })

  it('keeps to the hop limit and avoids excluded pools', () => {
    for (const q of queries.slice(0, 20)) {
      const one = bestExactIn(graph, q.a, q.b, q.amount, { maxHops: 1 })
      if (one) expect(one.edges).toHaveLength(1)
      const best = bestExactIn(graph, q.a, q.b, q.amount)
      if (!best) continue
      const excluded = new Set(best.edges.map((e) => e.pool))
      const other = bestExactIn(graph, q.a, q.b, q.amount, { excludePools: excluded })
      for (const e of other?.edges ?? []) expect(excluded.has(e.pool)).toBe(false)
    }
    expect(() => bestExactIn(graph, 0, 1, 1n, { maxHops: 4 })).toThrow(RangeError)
  })
})
