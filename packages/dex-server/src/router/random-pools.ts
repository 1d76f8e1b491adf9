import type { Address } from 'viem'
import type { PoolState } from './graph.js'

/**
 * Deterministic random pool sets for tests and benchmarks: `tokens` tokens with log-uniform prices,
 * `pools` distinct pairs (one pool per pair, as a v2 factory allows) with log-uniform depth and a
 * few percent of mispricing so that routes genuinely differ.
 */
export function randomPools(
  seed: number,
  tokens: number,
  pools: number,
): { tokens: Address[]; pools: PoolState[] } {
  const rand = mulberry32(seed)
  const addresses: Address[] = []
  const prices: number[] = []
  for (let i = 0; i < tokens; i++) {
    addresses.push(randomAddress(rand))
    prices.push(10 ** (rand() * 6 - 3))
  }
  const maxPairs = (tokens * (tokens - 1)) / 2
  if (pools > maxPairs) throw new RangeError(`at most ${maxPairs} pools for ${tokens} tokens`)
  const seen = new Set<string>()
  const out: PoolState[] = []
  while (out.length < pools) {
    const a = Math.floor(rand() * tokens)
    const b = Math.floor(rand() * tokens)
    if (a === b) continue
    const key = a < b ? `${a}:${b}` : `${b}:${a}`
    if (seen.has(key)) continue
    seen.add(key)
    const value = 10 ** (rand() * 5 + 2) // pool depth in numeraire units
    const skew = 1 + (rand() - 0.5) * 0.06
    const [t0, t1] = addresses[a]!.toLowerCase() < addresses[b]!.toLowerCase() ? [a, b] : [b, a]
    out.push({
      address: randomAddress(rand),
      token0: addresses[t0]!,
      token1: addresses[t1]!,
      reserve0: units(value / prices[t0]!),
      reserve1: units((value * skew) / prices[t1]!),
    })
  }
  return { tokens: addresses, pools: out }
}

/** A float number of whole tokens as 18-decimal base units (only for fixtures: floats never touch quotes). */
function units(amount: number): bigint {
  return BigInt(Math.floor(amount * 1e6)) * 10n ** 12n + 1n
}

function randomAddress(rand: () => number): Address {
  let hex = '0x'
  for (let i = 0; i < 40; i++) hex += Math.floor(rand() * 16).toString(16)
  return hex as Address
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
