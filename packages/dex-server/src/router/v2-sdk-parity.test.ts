import { describe, expect, it } from 'vitest'
import { PoolGraph } from './graph.js'
import { mulberry32, randomPools } from './random-pools.js'
import { bestTradeExactIn, bestTradeExactOut } from './trade.js'
import { UniswapSdkPeer } from './uniswap-sdk-peer.js'

// A pool set small enough that the SDK answers 200 queries in about a second.
describe('our routes against @uniswap/v2-sdk Trade.bestTradeExactIn / bestTradeExactOut on the same pools', () => {
  it('pays at least as much on 200 random queries, and the same on single routes', () => {
    const { tokens, pools } = randomPools(11, 30, 70)
    const graph = new PoolGraph(pools)
    const peer = new UniswapSdkPeer(pools)
    const rand = mulberry32(5)
    let compared = 0
    let splitWins = 0
    for (let i = 0; i < 200; i++) {
      const a = tokens[Math.floor(rand() * tokens.length)]!
      let b = tokens[Math.floor(rand() * tokens.length)]!
      if (a === b) b = tokens[(tokens.indexOf(a) + 1) % tokens.length]!
      const amountIn = 10n ** BigInt(15 + Math.floor(rand() * 9)) + BigInt(Math.floor(rand() * 1e9))
      const theirs = peer.bestTradeExactIn(a, b, amountIn)
      const single = bestTradeExactIn(graph, graph.tokenId(a)!, graph.tokenId(b)!, amountIn, { split: false })
      // Split with the second leg's gas taken as free: the most a split can ever add.
      const ours = bestTradeExactIn(graph, graph.tokenId(a)!, graph.tokenId(b)!, amountIn, {
        splitGasCost: () => 0n,
      })
      expect(single?.amountOut ?? 0n).toBe(theirs?.amountOut ?? 0n)
      expect(ours?.amountOut ?? 0n).toBeGreaterThanOrEqual(theirs?.amountOut ?? 0n)
      if (theirs) compared++
      if (ours && theirs && ours.amountOut > theirs.amountOut) splitWins++
    }
    // The fixture must actually exercise routing (and splitting), or this test proves nothing.
    expect(compared).toBeGreaterThan(150)
    expect(splitWins).toBeGreaterThan(0)
  })
  it('spends at most what Trade.bestTradeExactOut spends on 100 random exact-output queries', () => {
    const { tokens, pools } = randomPools(12, 30, 70)
    const graph = new PoolGraph(pools)
    const peer = new UniswapSdkPeer(pools)
    const rand = mulberry32(6)
    let compared = 0
    for (let i = 0; i < 100; i++) {
      const a = tokens[Math.floor(rand() * tokens.length)]!
      let b = tokens[Math.floor(rand() * tokens.length)]!
      if (a === b) b = tokens[(tokens.indexOf(a) + 1) % tokens.length]!
      const amountOut = 10n ** BigInt(14 + Math.floor(rand() * 8)) + BigInt(Math.floor(rand() * 1e9))
      let theirs: ReturnType<typeof peer.bestTradeExactOut>
      try {
        theirs = peer.bestTradeExactOut(a, b, amountOut)
      } catch {
        theirs = undefined // the SDK throws when no pool can pay the amount
      }
      const single = bestTradeExactOut(graph, graph.tokenId(a)!, graph.tokenId(b)!, amountOut, {
        split: false,
      })
      const ours = bestTradeExactOut(graph, graph.tokenId(a)!, graph.tokenId(b)!, amountOut, {
        splitGasCost: () => 0n,
      })
      if (!theirs) continue
      compared++
      expect(single?.amountIn).toBe(theirs.amountIn)
      expect(ours!.amountIn).toBeLessThanOrEqual(theirs.amountIn)
      expect(ours!.amountOut).toBe(amountOut)
    }
    expect(compared).toBeGreaterThan(60)
  })
})
