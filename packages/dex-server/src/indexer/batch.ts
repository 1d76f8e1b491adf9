import type { Address } from 'viem'
import type { PoolRegistry } from '../market/pool-registry.js'
import { spotPriceE18 } from '../market/pricing.js'
import { aggregateCandles, type CandleDelta, pricePoints } from './candles.js'
import {
  type LiquidityEvent,
  type LpTransfer,
  type PairCreated,
  type SwapEvent,
  type SyncEvent,
  ZERO_ADDRESS,
} from './events.js'
import type { BlockHeader, FetchedRange } from './fetch.js'
import type { TokenMetadata } from './token-metadata.js'

export type SwapRow = SwapEvent & {
  time: number
  /** The sender of the swap's transaction (tx.from). */
  txFrom: Address
  /** The wei the swap's transaction sent (tx.value): above zero when native ETH paid the input. */
  txValue: bigint
  reserve0: bigint
  reserve1: bigint
  priceE18: bigint
}
export type LiquidityRow = LiquidityEvent & { time: number }

export interface PoolUpdate {
  address: Address
  reserve0: bigint
  reserve1: bigint
  totalSupply: bigint
  updatedBlock: number
}

/** Everything one block range adds to the index, ready to be written in one transaction. */
export interface IndexBatch {
  from: number
  to: BlockHeader
  headers: BlockHeader[]
  tokens: TokenMetadata[]
  pools: PairCreated[]
  swaps: SwapRow[]
  syncs: SyncEvent[]
  liquidity: LiquidityRow[]
  transfers: LpTransfer[]
  poolUpdates: PoolUpdate[]
  candles: CandleDelta[]
  eventCount: number
}

/**
 * Turns a fetched range into rows. Logs are walked in chain order with each pool's running
 * reserves, so every swap carries the reserves (and price) right after it: v2 pairs emit Sync
 * immediately before Swap.
 */
export function buildBatch(range: FetchedRange, graph: PoolRegistry, newTokens: TokenMetadata[]): IndexBatch {
  const decimals = new Map<string, number | null>()
  for (const token of graph.tokens()) decimals.set(token.address, token.decimals)
  for (const token of newTokens) decimals.set(token.address, token.decimals)

  const state = new Map<string, PoolUpdate & { token0: Address; token1: Address }>()
  for (const pair of range.pairsCreated) {
    state.set(pair.pair, {
      address: pair.pair,
      token0: pair.token0,
      token1: pair.token1,
      reserve0: 0n,
      reserve1: 0n,
      totalSupply: 0n,
      updatedBlock: pair.blockNumber,
    })
  }
  const stateOf = (address: Address) => {
    let pool = state.get(address)
    if (pool === undefined) {
      const known = graph.pool(address)
      if (known === undefined) throw new Error(`event from unknown pool ${address}`)
      pool = { ...known }
      state.set(address, pool)
    }
    return pool
  }
  const txOf = (txHash: string) => {
    const tx = range.swapTxs.get(txHash)
    if (tx === undefined) throw new Error(`missing transaction ${txHash}`)
    return tx
  }
  const timeOf = (block: number) => {
    const header = range.headers.get(block)
    if (header === undefined) throw new Error(`missing header of block ${block}`)
    return header.timestamp
  }

  const batch: IndexBatch = {
    from: range.from,
    to: range.headers.get(range.to) as BlockHeader,
    headers: [...range.headers.values()].sort((a, b) => a.number - b.number),
    tokens: newTokens,
    pools: range.pairsCreated,
    swaps: [],
    syncs: [],
    liquidity: [],
    transfers: [],
    poolUpdates: [],
    candles: [],
    eventCount: range.pairsCreated.length + range.events.length,
  }
  const priceOf = (pool: { token0: Address; token1: Address }, reserve0: bigint, reserve1: bigint) =>
    spotPriceE18(reserve0, reserve1, decimals.get(pool.token0), decimals.get(pool.token1))
  // Each pool's price going into the range: candles open at the previous close.
  const priceBefore = new Map<string, bigint>()
  const touched = new Set<Address>(range.pairsCreated.map((p) => p.pair))
  // Rollbacks land on block boundaries, so each pool's last Sync per block is all they need.
  const lastSync = new Map<string, SyncEvent>()
  for (const event of range.events) {
    const pool = stateOf(event.pool)
    if (!touched.has(event.pool) && pool.reserve0 > 0n)
      priceBefore.set(event.pool, priceOf(pool, pool.reserve0, pool.reserve1))
    touched.add(event.pool)
    pool.updatedBlock = event.blockNumber
    switch (event.kind) {
      case 'sync':
        pool.reserve0 = event.reserve0
        pool.reserve1 = event.reserve1
        lastSync.set(`${event.pool}:${event.blockNumber}`, event)
        break
      case 'swap':
        batch.swaps.push({
          ...event,
          time: timeOf(event.blockNumber),
          txFrom: txOf(event.txHash).from,
          txValue: txOf(event.txHash).value,
          reserve0: pool.reserve0,
          reserve1: pool.reserve1,
          priceE18: priceOf(pool, pool.reserve0, pool.reserve1),
        })
        break
      case 'mint':
      case 'burn':
        batch.liquidity.push({ ...event, time: timeOf(event.blockNumber) })
        break
      case 'transfer':
        // v2 mints MINIMUM_LIQUIDITY from 0x0 to 0x0: a transfer from zero is always a mint.
        if (event.from === ZERO_ADDRESS) pool.totalSupply += event.value
        else if (event.to === ZERO_ADDRESS) pool.totalSupply -= event.value
        batch.transfers.push(event)
        break
    }
  }
  batch.syncs = [...lastSync.values()].sort(
    (a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex,
  )
  for (const address of touched) {
    const { token0: _t0, token1: _t1, ...update } = stateOf(address)
    batch.poolUpdates.push(update)
  }
  const syncPoints = batch.syncs.map((s) => ({
    pool: s.pool,
    blockNumber: s.blockNumber,
    logIndex: s.logIndex,
    time: timeOf(s.blockNumber),
    priceE18: priceOf(stateOf(s.pool), s.reserve0, s.reserve1),
  }))
  batch.candles = aggregateCandles(pricePoints(batch.swaps, syncPoints, priceBefore))
  return batch
}
