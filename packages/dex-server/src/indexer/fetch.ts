import { type Eip1193, getBlockHeader, type RpcBlockHeader, toQuantity } from '../chain/rpc.js'
import {
  decodePairCreated,
  decodePairEvent,
  MalformedLogError,
  PAIR_TOPICS,
  type PairCreated,
  type PairEvent,
  type RpcLog,
  TOPICS,
} from './events.js'

export interface BlockHeader {
  number: number
  hash: string
  parentHash: string
  /** Unix seconds. */
  timestamp: number
}

export interface FetchedRange {
  from: number
  to: number
  /** Header of `from` (its parentHash proves continuity with the cursor), `to`, and every block with logs. */
  headers: Map<number, BlockHeader>
  pairsCreated: PairCreated[]
  /** Pair events in chain order. */
  events: PairEvent[]
  /** Logs whose data did not fit the v2 layout of their topic (skipped, never fatal). */
  malformed: number
}

/** The chain changed under a fetch (a log's block hash disagrees with its header): fetch again. */
export class InconsistentFetchError extends Error {}

const ADDRESS_CHUNK = 500
const HEADER_CONCURRENCY = 16

function toHeader(raw: RpcBlockHeader): BlockHeader {
  return {
    number: Number(raw.number),
    hash: raw.hash.toLowerCase(),
    parentHash: raw.parentHash.toLowerCase(),
    timestamp: Number(raw.timestamp),
  }
}

async function getLogs(rpc: Eip1193, filter: Record<string, unknown>): Promise<RpcLog[]> {
  const logs = (await rpc.request({ method: 'eth_getLogs', params: [filter] })) as RpcLog[]
  return logs.filter((log) => !log.removed)
}

export async function fetchHeaders(rpc: Eip1193, numbers: number[]): Promise<Map<number, BlockHeader>> {
  const headers = new Map<number, BlockHeader>()
  for (let i = 0; i < numbers.length; i += HEADER_CONCURRENCY) {
    const chunk = numbers.slice(i, i + HEADER_CONCURRENCY)
    const raws = await Promise.all(chunk.map((n) => getBlockHeader(rpc, n)))
    for (const raw of raws) {
      if (raw === null) throw new InconsistentFetchError('block disappeared while fetching')
      const header = toHeader(raw)
      headers.set(header.number, header)
    }
  }
  return headers
}

const byPosition = (a: RpcLog, b: RpcLog) =>
  Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex)

/**
 * Reads one block range: the factory's PairCreated logs first (so pairs born in the range are
 * followed from their first event), then the pairs' Sync/Swap/Mint/Burn/Transfer logs.
 */
export async function fetchRange(
  rpc: Eip1193,
  factory: string,
  knownPairs: Iterable<string>,
  from: number,
  to: number,
): Promise<FetchedRange> {
  const range = { fromBlock: toQuantity(from), toBlock: toQuantity(to) }
  const factoryLogs = await getLogs(rpc, { ...range, address: factory, topics: [TOPICS.pairCreated] })
  const pairsCreated = factoryLogs.sort(byPosition).map(decodePairCreated)
  const pairs = [...new Set([...knownPairs, ...pairsCreated.map((p) => p.pair)])]

  const pairLogs: RpcLog[] = []
  for (let i = 0; i < pairs.length; i += ADDRESS_CHUNK) {
    const address = pairs.slice(i, i + ADDRESS_CHUNK)
    pairLogs.push(...(await getLogs(rpc, { ...range, address, topics: [PAIR_TOPICS] })))
  }
  pairLogs.sort(byPosition)

  const wanted = new Set<number>([from, to])
  for (const log of [...factoryLogs, ...pairLogs]) wanted.add(Number(log.blockNumber))
  const headers = await fetchHeaders(
    rpc,
    [...wanted].sort((a, b) => a - b),
  )
  for (const log of [...factoryLogs, ...pairLogs]) {
    if (headers.get(Number(log.blockNumber))?.hash !== log.blockHash.toLowerCase()) {
      throw new InconsistentFetchError(`log of block ${Number(log.blockNumber)} is from another fork`)
    }
  }

  const events: PairEvent[] = []
  let malformed = 0
  for (const log of pairLogs) {
    try {
      const event = decodePairEvent(log)
      if (event) events.push(event)
    } catch (error) {
      if (!(error instanceof MalformedLogError)) throw error
      malformed++
    }
  }
  return { from, to, headers, pairsCreated, events, malformed }
}
