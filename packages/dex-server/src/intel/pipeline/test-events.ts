import { getAddress } from 'viem'
import { seededRandom } from '../../simulator/random.js'
import type { ChainEvent } from './events.js'

const CHAIN_ID = 31337
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
const address = (tag: number) => getAddress(`0x${hex(tag, 40)}`)
const txHash = (n: number) => `0x${hex(n, 64)}`

/**
 * A deterministic stream of pipeline events on `pools` pools: each pool is created and funded,
 * then `swaps` swaps follow from a few accounts, a few per block, reserves kept consistent.
 */
export function syntheticStream(seed: number, pools: number, swaps: number): ChainEvent[] {
  const random = seededRandom(seed)
  const events: ChainEvent[] = []
  const state = Array.from({ length: pools }, (_, i) => ({
    pool: address(0xa000 + i),
    r0: 1_000_000_000n,
    r1: 2_000_000_000n,
  }))
  let block = 10
  let log = 0
  const next = (blockHash = `b${block}`) => ({ id: `${CHAIN_ID}:${blockHash}:${log}`, logIndex: log++ })
  const time = () => new Date(Date.UTC(2026, 0, 1) + block * 1000).toISOString()
  for (const [i, p] of state.entries()) {
    events.push({
      type: 'pool.created',
      ...next(),
      chainId: CHAIN_ID,
      pool: p.pool,
      token0: address(0xb000 + 2 * i),
      token1: address(0xb001 + 2 * i),
      blockNumber: block,
      txHash: txHash(block),
    })
    events.push({
      type: 'liquidity.mint',
      ...next(),
      chainId: CHAIN_ID,
      pool: p.pool,
      blockNumber: block,
      txHash: txHash(block),
      time: time(),
      sender: address(0xc000),
      amount0: p.r0.toString(),
      amount1: p.r1.toString(),
    })
  }
  for (let s = 0; s < swaps; s++) {
    if (random() < 0.4) {
      block++
      log = 0
    }
    const p = state[Math.floor(random() * pools)] as (typeof state)[number]
    const zeroIn = random() < 0.5
    const amountIn = BigInt(1 + Math.floor(random() * 1_000_000))
    const [rIn, rOut] = zeroIn ? [p.r0, p.r1] : [p.r1, p.r0]
    const amountOut = (amountIn * 997n * rOut) / (rIn * 1000n + amountIn * 997n)
    if (zeroIn) [p.r0, p.r1] = [p.r0 + amountIn, p.r1 - amountOut]
    else [p.r1, p.r0] = [p.r1 + amountIn, p.r0 - amountOut]
    events.push({
      type: 'swap',
      ...next(),
      chainId: CHAIN_ID,
      pool: p.pool,
      blockNumber: block,
      txHash: txHash(1000 + s),
      time: time(),
      sender: address(0xd000),
      recipient: address(0xe000 + Math.floor(random() * 5)),
      amount0In: zeroIn ? amountIn.toString() : '0',
      amount1In: zeroIn ? '0' : amountIn.toString(),
      amount0Out: zeroIn ? '0' : amountOut.toString(),
      amount1Out: zeroIn ? amountOut.toString() : '0',
      reserve0: p.r0.toString(),
      reserve1: p.r1.toString(),
    })
  }
  return events
}

/** The aggregates recomputed from scratch by a plain fold, independent of the SQL that keeps them. */
export function foldAggregates(events: ChainEvent[]) {
  const pools = new Map<
    string,
    {
      volume0: bigint
      volume1: bigint
      fees0: bigint
      fees1: bigint
      trades: number
      reserve0: bigint
      reserve1: bigint
    }
  >()
  const counterparties = new Map<string, number>()
  const poolIds = new Set(events.filter((e) => e.type === 'pool.created').map((e) => e.pool.toLowerCase()))
  for (const e of events) {
    const key = e.pool.toLowerCase()
    if (e.type === 'pool.created') {
      pools.set(key, {
        volume0: 0n,
        volume1: 0n,
        fees0: 0n,
        fees1: 0n,
        trades: 0,
        reserve0: 0n,
        reserve1: 0n,
      })
      continue
    }
    const p = pools.get(key)
    if (!p) continue
    if (e.type === 'swap') {
      p.volume0 += BigInt(e.amount0In) + BigInt(e.amount0Out)
      p.volume1 += BigInt(e.amount1In) + BigInt(e.amount1Out)
      p.fees0 += (BigInt(e.amount0In) * 3n) / 1000n
      p.fees1 += (BigInt(e.amount1In) * 3n) / 1000n
      p.trades++
      p.reserve0 = BigInt(e.reserve0)
      p.reserve1 = BigInt(e.reserve1)
      const account = e.recipient.toLowerCase()
      if (!poolIds.has(account))
        counterparties.set(`${account}|${key}`, (counterparties.get(`${account}|${key}`) ?? 0) + 1)
    } else {
      const sign = e.type === 'liquidity.mint' ? 1n : -1n
      p.reserve0 += sign * BigInt(e.amount0)
      p.reserve1 += sign * BigInt(e.amount1)
    }
  }
  return { pools, counterparties }
}
