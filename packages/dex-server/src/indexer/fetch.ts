import type { Address } from 'viem'
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
  /**
   * Header of `from` (its parentHash proves continuity with the cursor), `to`, and every block
   * with logs; every block of the range when it was read block by block.
   */
  headers: Map<number, BlockHeader>
  pairsCreated: PairCreated[]
  /** Pair events in chain order. */
  events: PairEvent[]
  /** Logs whose data did not fit the v2 layout of their topic (skipped, never fatal). */
  malformed: number
  /** The sender and value of every transaction with a Swap in the range, by lowercase hash. */
  swapTxs: Map<string, SwapTx>
}

/**
 * What a swap's logs do not say. A swap's `to` is not who traded when the router pays out native
 * ETH (`to` is the router) or on the earlier hops of a multi-hop swap (`to` is the next pair); the
 * sender (`from`) is. The pair only sees WETH when the router wraps native ETH paid in; the
 * transaction's `value` (wei) tells that ETH was paid.
 */
export interface SwapTx {
  from: Address
  value: bigint
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

/**
 * The sender and value of the transactions that carry swaps, deduplicated by hash, at most
 * HEADER_CONCURRENCY lookups in flight. A transaction's hash commits to its signature (and so to
 * its sender and value), so both are the same in whichever block it lands; a node that no longer
 * knows it (dropped by a reorg while the range was read) makes the range be read again.
 */
async function fetchSwapTxs(rpc: Eip1193, events: PairEvent[]): Promise<Map<string, SwapTx>> {
  const hashes = [...new Set(events.filter((e) => e.kind === 'swap').map((e) => e.txHash))]
  const txs = await inChunks(hashes, HEADER_CONCURRENCY, async (hash) => {
    const tx = (await rpc.request({ method: 'eth_getTransactionByHash', params: [hash] })) as {
      from: string
      value: string
    } | null
    if (tx === null) throw new InconsistentFetchError(`transaction ${hash} disappeared while fetching`)
    return [hash, { from: tx.from.toLowerCase() as Address, value: BigInt(tx.value) }] as const
  })
  return new Map(txs)
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

const blockNumbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/**
 * Reads one block range with range queries: the factory's PairCreated logs first (so pairs born
 * in the range are followed from their first event), then the pairs' Sync/Swap/Mint/Burn/Transfer
 * logs. The end block is pinned by hash before the logs are read and checked again after: a
 * reorg during the read changes it, even when the replaced blocks had no logs. For blocks deep
 * enough that every node behind a load balancer has them (see fetchBlocks for the head).
 */
export async function fetchRange(
  rpc: Eip1193,
  factory: string,
  knownPairs: Iterable<string>,
  from: number,
  to: number,
): Promise<FetchedRange> {
  const pinned = (await fetchHeaders(rpc, [to])).get(to) as BlockHeader
  const range = { fromBlock: toQuantity(from), toBlock: toQuantity(to) }
  const factoryLogs = await getLogs(rpc, { ...range, address: factory, topics: [TOPICS.pairCreated] })
  const pairLogs: RpcLog[] = []
  for (const address of addressChunks(knownPairs, factoryLogs))
    pairLogs.push(...(await getLogs(rpc, { ...range, address, topics: [PAIR_TOPICS] })))

  const wanted = new Set<number>([from, to])
  for (const log of [...factoryLogs, ...pairLogs]) wanted.add(Number(log.blockNumber))
  const headers = await fetchHeaders(
    rpc,
    [...wanted].sort((a, b) => a - b),
  )
  if (headers.get(to)?.hash !== pinned.hash) {
    throw new InconsistentFetchError(`block ${to} changed while its range was read (a reorg)`)
  }
  return withSwapTxs(rpc, assemble(from, to, headers, factoryLogs, pairLogs))
}

/**
 * Reads blocks near the head one by one, by hash: every header of the range is fetched and chained
 * by parent hash, then each block's logs are asked for by its hash (EIP-234). A provider whose log
 * node lags the head cannot answer for a block it lacks and errors (the range is retried), where a
 * range query would silently answer "no logs"; and logs asked for by hash always belong to the
 * headers the cursor records, so a reorg in log-free blocks is seen at the next parent-hash check.
 */
export async function fetchBlocks(
  rpc: Eip1193,
  factory: string,
  knownPairs: Iterable<string>,
  from: number,
  to: number,
): Promise<FetchedRange> {
  const headers = await fetchHeaders(rpc, blockNumbers(from, to))
  for (let n = from + 1; n <= to; n++) {
    if (headers.get(n)?.parentHash !== headers.get(n - 1)?.hash)
      throw new InconsistentFetchError(`block ${n} does not follow block ${n - 1} (a reorg while reading)`)
  }
  const hashes = blockNumbers(from, to).map((n) => (headers.get(n) as BlockHeader).hash)
  const byHash = async (filter: Record<string, unknown>) =>
    (await inChunks(hashes, HEADER_CONCURRENCY, (blockHash) => getLogs(rpc, { ...filter, blockHash }))).flat()
  const factoryLogs = await byHash({ address: factory, topics: [TOPICS.pairCreated] })
  const pairLogs: RpcLog[] = []
  for (const address of addressChunks(knownPairs, factoryLogs))
    pairLogs.push(...(await byHash({ address, topics: [PAIR_TOPICS] })))
  return withSwapTxs(rpc, assemble(from, to, headers, factoryLogs, pairLogs))
}

async function withSwapTxs(rpc: Eip1193, range: Omit<FetchedRange, 'swapTxs'>): Promise<FetchedRange> {
  return { ...range, swapTxs: await fetchSwapTxs(rpc, range.events) }
}

/** The pairs to ask for, known ones and those the factory logs create, in chunks a provider accepts. */
function addressChunks(knownPairs: Iterable<string>, factoryLogs: RpcLog[]): string[][] {
  const created = factoryLogs.map((log) => decodePairCreated(log).pair)
  const pairs = [...new Set([...knownPairs, ...created])]
  const chunks: string[][] = []
  for (let i = 0; i < pairs.length; i += ADDRESS_CHUNK) chunks.push(pairs.slice(i, i + ADDRESS_CHUNK))
  return chunks
}

async function inChunks<T, R>(items: T[], size: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(each))))
  return results
}

/** Checks every log against its block's header and decodes the range, in chain order. */
function assemble(
  from: number,
  to: number,
  headers: Map<number, BlockHeader>,
  factoryLogs: RpcLog[],
  pairLogs: RpcLog[],
): Omit<FetchedRange, 'swapTxs'> {
  factoryLogs.sort(byPosition)
  pairLogs.sort(byPosition)
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
  return { from, to, headers, pairsCreated: factoryLogs.map(decodePairCreated), events, malformed }
}
