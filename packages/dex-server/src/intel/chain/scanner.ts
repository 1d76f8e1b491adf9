import { sql } from 'kysely'
import { type Eip1193, toQuantity } from '../../chain/rpc.js'
import { TOPICS } from '../../indexer/events.js'
import type { IntelDb } from '../tables.js'
import { findCyclicArbitrage, findSandwiches, type MevFinding, type SwapRow } from './mev.js'

interface RpcTx {
  hash: string
  from: string
  to: string | null
  value: string
  input: string
  transactionIndex: string
}
interface RpcBlock {
  number: string
  timestamp: string
  transactions: RpcTx[]
}
interface RpcLog {
  address: string
  topics: string[]
  data: string
  blockNumber: string
  logIndex: string
  transactionHash: string
}

const CURSOR_ID = 'chain-scanner'
const CONCURRENCY = 8

export interface ScanOptions {
  db: IntelDb
  rpc: Eip1193
  /** Quote-token value of `amount` of `token`, or null when it has no price. */
  valueInQuote: (token: string, amount: bigint) => bigint | null
}

export async function scannedBlock(db: IntelDb): Promise<number> {
  const row = await db
    .selectFrom('intel_scan_cursor')
    .select('block_number')
    .where('id', '=', CURSOR_ID)
    .executeTakeFirst()
  return row ? Number(row.block_number) : -1
}

async function fetchBlocks(rpc: Eip1193, from: number, to: number): Promise<RpcBlock[]> {
  const numbers = Array.from({ length: to - from + 1 }, (_, i) => from + i)
  const blocks: RpcBlock[] = []
  for (let i = 0; i < numbers.length; i += CONCURRENCY) {
    const chunk = numbers.slice(i, i + CONCURRENCY)
    const got = await Promise.all(
      chunk.map(
        (n) =>
          rpc.request({
            method: 'eth_getBlockByNumber',
            params: [toQuantity(n), true],
          }) as Promise<RpcBlock | null>,
      ),
    )
    for (const block of got) if (block) blocks.push(block)
  }
  return blocks
}

/** The indexed swaps of the range with their transaction's sender, tokens in and out. */
async function swapsOf(db: IntelDb, from: number, to: number): Promise<SwapRow[]> {
  const rows = await sql<Record<string, string>>`
    select s.block_number, s.log_index, s.tx_hash, s.pool, p.token0, p.token1, s.amount0_in, s.amount1_in,
      s.amount0_out, s.amount1_out, t.from_address, t.tx_index
    from swaps s join pools p on p.address = s.pool join intel_txs t on t.hash = s.tx_hash
    where s.block_number between ${from} and ${to}`.execute(db)
  return rows.rows.map((r) => {
    const zeroIn = BigInt(r.amount0_in as string) > 0n
    return {
      blockNumber: Number(r.block_number),
      txIndex: Number(r.tx_index),
      logIndex: Number(r.log_index),
      txHash: r.tx_hash as string,
      from: r.from_address as string,
      pool: r.pool as string,
      tokenIn: (zeroIn ? r.token0 : r.token1) as string,
      tokenOut: (zeroIn ? r.token1 : r.token0) as string,
      amountIn: BigInt((zeroIn ? r.amount0_in : r.amount1_in) as string),
      amountOut: BigInt((zeroIn ? r.amount1_out : r.amount0_out) as string),
    }
  })
}

/**
 * Scans blocks `from`..`to` (already indexed): stores their transactions and ERC-20 transfers,
 * then classifies the range's swaps into sandwiches and cyclic arbitrage, in one transaction
 * with the scanner's cursor.
 */
export async function scanRange(options: ScanOptions, from: number, to: number): Promise<MevFinding[]> {
  const { db, rpc } = options
  const blocks = await fetchBlocks(rpc, from, to)
  const logs = (await rpc.request({
    method: 'eth_getLogs',
    params: [{ fromBlock: toQuantity(from), toBlock: toQuantity(to), topics: [TOPICS.transfer] }],
  })) as RpcLog[]
  const txs = blocks.flatMap((b) =>
    b.transactions.map((t) => ({
      hash: t.hash.toLowerCase(),
      block_number: Number(b.number),
      tx_index: Number(t.transactionIndex),
      from_address: t.from.toLowerCase(),
      to_address: t.to?.toLowerCase() ?? null,
      value: BigInt(t.value).toString(),
      selector: t.input && t.input.length >= 10 ? t.input.slice(0, 10) : null,
      block_time: new Date(Number(b.timestamp) * 1000).toISOString(),
    })),
  )
  // ERC-20 transfers only: three topics and one data word (ERC-721 puts the id in a topic).
  const transfers = logs
    .filter((l) => l.topics.length === 3 && l.data.length === 66)
    .map((l) => ({
      block_number: Number(l.blockNumber),
      log_index: Number(l.logIndex),
      tx_hash: l.transactionHash.toLowerCase(),
      token: l.address.toLowerCase(),
      from_address: `0x${(l.topics[1] as string).slice(26)}`.toLowerCase(),
      to_address: `0x${(l.topics[2] as string).slice(26)}`.toLowerCase(),
      value: BigInt(l.data).toString(),
    }))
  return db.transaction().execute(async (trx) => {
    for (let i = 0; i < txs.length; i += 1000)
      await trx
        .insertInto('intel_txs')
        .values(txs.slice(i, i + 1000))
        .onConflict((oc) => oc.column('hash').doNothing())
        .execute()
    for (let i = 0; i < transfers.length; i += 1000)
      await trx
        .insertInto('intel_transfers')
        .values(transfers.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['block_number', 'log_index']).doNothing())
        .execute()
    const swaps = await swapsOf(trx, from, to)
    const findings = [...findSandwiches(swaps), ...findCyclicArbitrage(swaps)]
    if (findings.length > 0) {
      await trx
        .insertInto('intel_mev')
        .values(
          findings.map((f) => ({
            kind: f.kind,
            block_number: f.blockNumber,
            txs: f.txs,
            attacker: f.attacker,
            victim: f.victim,
            pools: f.pools,
            profit_token: f.profitToken,
            profit: f.profit.toString(),
            profit_quote: options.valueInQuote(f.profitToken, f.profit)?.toString() ?? null,
            details: JSON.stringify({ transactions: f.txs.length }),
          })),
        )
        .execute()
    }
    await trx
      .insertInto('intel_scan_cursor')
      .values({ id: CURSOR_ID, block_number: to })
      .onConflict((oc) => oc.column('id').doUpdateSet({ block_number: to }))
      .execute()
    return findings
  })
}

/** Forgets everything above `fork` (the indexer rolled back): it is scanned again. */
export async function rollbackScan(db: IntelDb, fork: number | null): Promise<void> {
  const above = fork ?? -1
  await db.transaction().execute(async (trx) => {
    for (const table of ['intel_txs', 'intel_transfers', 'intel_mev'] as const)
      await trx.deleteFrom(table).where('block_number', '>', String(above)).execute()
    await trx
      .updateTable('intel_scan_cursor')
      .set({ block_number: above })
      .where('id', '=', CURSOR_ID)
      .where('block_number', '>', String(above))
      .execute()
  })
}
