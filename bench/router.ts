/**
 * Quote latency over 1,000 pools and 200 tokens at 3 hops: our router against
 * `@uniswap/v2-sdk` Trade.bestTradeExactIn, on the same pools and the same queries, in the same run.
 * Reports mean/p50/p95 per call, the speed ratio, and how the outputs compare.
 *
 *   npx tsx bench/router.ts            (ROUTER_BENCH_PEER_QUERIES=30 ROUTER_BENCH_QUERIES=2000)
 */
import { pathToFileURL } from 'node:url'
import { buildQuote, type QuoteRequest } from '@soba/dex-server/quote/quote'
import { PoolGraph } from '@soba/dex-server/router/graph'
import { mulberry32, randomPools } from '@soba/dex-server/router/random-pools'
import { UniswapSdkPeer } from '@soba/dex-server/router/uniswap-sdk-peer'
import type { Address } from 'viem'

export interface RouterBenchResult {
  pools: number
  tokens: number
  maxHops: number
  ours: Stats
  oursSingleRoute: Stats
  peer: Stats
  /** Mean against mean; `speedupP50` compares medians, which GC pauses and a busy machine skew less. */
  speedup: number
  speedupP50: number
  outputs: { compared: number; equal: number; oursBetter: number; oursWorse: number; bestGainBps: number }
}

interface Stats {
  calls: number
  meanMs: number
  p50Ms: number
  p95Ms: number
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length
  return { calls: samples.length, meanMs: round(mean), p50Ms: round(at(0.5)), p95Ms: round(at(0.95)) }
}

function round(ms: number): number {
  return Math.round(ms * 10_000) / 10_000
}

export async function run(
  options: { tokens?: number; pools?: number; queries?: number; peerQueries?: number; seed?: number } = {},
): Promise<RouterBenchResult> {
  const tokenCount = options.tokens ?? 200
  const poolCount = options.pools ?? 1000
  const queries = options.queries ?? Number(process.env.ROUTER_BENCH_QUERIES ?? 2000)
  const peerQueries = Math.min(
    queries,
    options.peerQueries ?? Number(process.env.ROUTER_BENCH_PEER_QUERIES ?? 30),
  )
  const { tokens, pools } = randomPools(options.seed ?? 2026, tokenCount, poolCount)
  const graph = new PoolGraph(pools)
  const peer = new UniswapSdkPeer(pools)
  const rand = mulberry32(77)
  const cases = Array.from({ length: queries }, () => {
    const a = Math.floor(rand() * tokenCount)
    let b = Math.floor(rand() * tokenCount)
    if (b === a) b = (a + 1) % tokenCount
    return { a: tokens[a]!, b: tokens[b]!, amountIn: 10n ** BigInt(15 + Math.floor(rand() * 8)) }
  })

  // The whole quote as /v1/quote computes it (route, split, price impact, limits, gas), minus HTTP.
  // Router and WETH addresses only shape calldata and "ETH" requests, neither of which is measured here.
  const context = {
    graph,
    router: '0x0000000000000000000000000000000000000001' as Address,
    weth: '0x0000000000000000000000000000000000000002' as Address,
  }
  const quote = (c: (typeof cases)[number], split: boolean) => {
    const request: QuoteRequest = {
      tokenIn: c.a as Address,
      tokenOut: c.b as Address,
      kind: 'exactIn',
      amount: c.amountIn,
      slippageBps: 50n,
      deadline: 2n ** 40n,
      expert: true,
      split,
      maxHops: 3,
    }
    try {
      return buildQuote(context, request)
    } catch {
      return undefined // no route: compared below against what the peer finds
    }
  }

  // Warm both up so that neither pays JIT compilation inside the measured calls.
  for (const c of cases.slice(0, 50)) quote(c, true)
  peer.bestTradeExactIn(cases[0]!.a, cases[0]!.b, cases[0]!.amountIn)

  const ours: number[] = []
  const single: number[] = []
  const results: bigint[] = []
  for (const c of cases) {
    const t0 = performance.now()
    const q = quote(c, true)
    ours.push(performance.now() - t0)
    results.push(q?.amountOut ?? 0n)
    const t1 = performance.now()
    quote(c, false)
    single.push(performance.now() - t1)
  }

  const peerTimes: number[] = []
  const outputs = { compared: 0, equal: 0, oursBetter: 0, oursWorse: 0, bestGainBps: 0 }
  for (let i = 0; i < peerQueries; i++) {
    const c = cases[i]!
    const t0 = performance.now()
    const theirs = peer.bestTradeExactIn(c.a, c.b, c.amountIn)
    peerTimes.push(performance.now() - t0)
    process.stderr.write(`\rrouter bench: peer query ${i + 1}/${peerQueries}`)
    const theirOut = theirs?.amountOut ?? 0n
    const ourOut = results[i]!
    outputs.compared++
    if (ourOut === theirOut) outputs.equal++
    else if (ourOut > theirOut) {
      outputs.oursBetter++
      const gain = theirOut === 0n ? 0 : Number(((ourOut - theirOut) * 10_000n) / theirOut)
      outputs.bestGainBps = Math.max(outputs.bestGainBps, gain)
    } else outputs.oursWorse++
  }
  process.stderr.write('\n')

  const oursStats = stats(ours)
  const peerStats = stats(peerTimes)
  return {
    pools: poolCount,
    tokens: tokenCount,
    maxHops: 3,
    ours: oursStats,
    oursSingleRoute: stats(single),
    peer: peerStats,
    speedup: Math.round((peerStats.meanMs / oursStats.meanMs) * 10) / 10,
    speedupP50: Math.round((peerStats.p50Ms / oursStats.p50Ms) * 10) / 10,
    outputs,
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run()
  console.log(JSON.stringify(result, null, 2))
  console.log(
    `router quote: ours ${result.ours.meanMs} ms/call vs @uniswap/v2-sdk ${result.peer.meanMs} ms/call ` +
      `= ${result.speedup}x faster (median ${result.speedupP50}x); outputs: ${result.outputs.equal} equal, ${result.outputs.oursBetter} better (split), ` +
      `${result.outputs.oursWorse} worse of ${result.outputs.compared}`,
  )
}
