/**
 * Uniswap v2 event topics and hand-written decoders. The layouts are fixed by the v2 ABI, so
 * slicing words is both exact and much faster than a generic ABI decoder on a 100k-swap backfill.
 */

import type { Address } from 'viem'

export const TOPICS = {
  pairCreated: '0x0d3648bd0f6ba80134a33ba9275ac585d9d315f0ad8355cddefde31afa28d0e9',
  sync: '0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1',
  swap: '0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822',
  mint: '0x4c209b5fc8ad50758f13e2e1088ba56a560dff690a1c6fef26394f4c03821c4f',
  burn: '0xdccd412f0b1252819cb1fd330b93224ca42612892bb3f4f789976e6d81936496',
  transfer: '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
} as const

export const PAIR_TOPICS = [TOPICS.sync, TOPICS.swap, TOPICS.mint, TOPICS.burn, TOPICS.transfer]

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'

/** A log as eth_getLogs returns it (hex quantities). */
export interface RpcLog {
  address: string
  topics: string[]
  data: string
  blockNumber: string
  blockHash: string
  transactionHash: string
  logIndex: string
  removed?: boolean
}

interface Position {
  blockNumber: number
  logIndex: number
  txHash: string
}

export type PairCreated = Position & { kind: 'pairCreated'; token0: Address; token1: Address; pair: Address }
export type SyncEvent = Position & { kind: 'sync'; pool: Address; reserve0: bigint; reserve1: bigint }
export type SwapEvent = Position & {
  kind: 'swap'
  pool: Address
  sender: Address
  recipient: Address
  amount0In: bigint
  amount1In: bigint
  amount0Out: bigint
  amount1Out: bigint
}
export type LiquidityEvent = Position & {
  kind: 'mint' | 'burn'
  pool: Address
  sender: Address
  recipient: Address | null
  amount0: bigint
  amount1: bigint
}
export type LpTransfer = Position & {
  kind: 'transfer'
  pool: Address
  from: Address
  to: Address
  value: bigint
}
export type PairEvent = SyncEvent | SwapEvent | LiquidityEvent | LpTransfer

/** Thrown for a log whose shape does not match the v2 layout its topic promises. */
export class MalformedLogError extends Error {}

function word(data: string, index: number): bigint {
  const start = 2 + index * 64
  const hex = data.slice(start, start + 64)
  if (hex.length !== 64) throw new MalformedLogError(`log data too short for word ${index}`)
  return BigInt(`0x${hex}`)
}

function topicAddress(topic: string | undefined): Address {
  if (topic === undefined || topic.length !== 66) throw new MalformedLogError('missing indexed address')
  return `0x${topic.slice(26).toLowerCase()}`
}

function wordAddress(data: string, index: number): Address {
  const start = 2 + index * 64 + 24
  const hex = data.slice(start, start + 40)
  if (hex.length !== 40) throw new MalformedLogError(`log data too short for address word ${index}`)
  return `0x${hex.toLowerCase()}`
}

function position(log: RpcLog): Position {
  return {
    blockNumber: Number(log.blockNumber),
    logIndex: Number(log.logIndex),
    txHash: log.transactionHash.toLowerCase(),
  }
}

export function decodePairCreated(log: RpcLog): PairCreated {
  return {
    ...position(log),
    kind: 'pairCreated',
    token0: topicAddress(log.topics[1]),
    token1: topicAddress(log.topics[2]),
    pair: wordAddress(log.data, 0),
  }
}

/** Decodes a pair's log; null for topics the indexer does not follow (e.g. Approval). */
export function decodePairEvent(log: RpcLog): PairEvent | null {
  const pool = log.address.toLowerCase() as Address
  const base = { ...position(log), pool }
  switch (log.topics[0]) {
    case TOPICS.sync:
      return { ...base, kind: 'sync', reserve0: word(log.data, 0), reserve1: word(log.data, 1) }
    case TOPICS.swap:
      return {
        ...base,
        kind: 'swap',
        sender: topicAddress(log.topics[1]),
        recipient: topicAddress(log.topics[2]),
        amount0In: word(log.data, 0),
        amount1In: word(log.data, 1),
        amount0Out: word(log.data, 2),
        amount1Out: word(log.data, 3),
      }
    case TOPICS.mint:
      return {
        ...base,
        kind: 'mint',
        sender: topicAddress(log.topics[1]),
        recipient: null,
        amount0: word(log.data, 0),
        amount1: word(log.data, 1),
      }
    case TOPICS.burn:
      return {
        ...base,
        kind: 'burn',
        sender: topicAddress(log.topics[1]),
        recipient: topicAddress(log.topics[2]),
        amount0: word(log.data, 0),
        amount1: word(log.data, 1),
      }
    case TOPICS.transfer:
      return {
        ...base,
        kind: 'transfer',
        from: topicAddress(log.topics[1]),
        to: topicAddress(log.topics[2]),
        value: word(log.data, 0),
      }
    default:
      return null
  }
}
