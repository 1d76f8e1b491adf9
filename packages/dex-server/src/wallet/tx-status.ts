import type { Address, Hash, PublicClient, Transaction } from 'viem'

export type TxState = 'pending' | 'confirmed' | 'failed' | 'replaced' | 'unknown'

export interface TxStatus {
  hash: Hash
  status: TxState
  from?: Address
  nonce?: number
  blockNumber?: bigint
  confirmations?: bigint
  gasUsed?: bigint
  /** For a replaced transaction: the one mined with the same sender and nonce, when found. */
  replacedBy?: Hash
  /** cancelled (a 0-value self-transfer took the nonce), repriced (same call, new fee) or replaced. */
  replacement?: 'cancelled' | 'repriced' | 'replaced'
}

/** Remembers the sender and nonce of transactions seen pending, so a dropped one can still be judged. */
export interface SeenTransactions {
  get(hash: Hash): Promise<{ from: Address; nonce: number } | undefined>
  remember(hash: Hash, tx: { from: Address; nonce: number }): Promise<void>
}

/** How far back to look for the transaction that took a replaced one's nonce. */
const REPLACEMENT_SCAN_BLOCKS = 32n

/**
 * Where a transaction stands: mined (confirmed or failed, with confirmations), waiting in the
 * mempool (pending), or gone because another transaction from the same sender used its nonce
 * (replaced, with the replacement when it is among the last blocks). Sender and nonce come from the
 * node, or from what was seen earlier, or from the caller's hint.
 */
export async function readTxStatus(
  client: PublicClient,
  hash: Hash,
  options: { seen?: SeenTransactions; hint?: { from: Address; nonce: number } } = {},
): Promise<TxStatus> {
  const [tx, receipt] = await Promise.all([
    client.getTransaction({ hash }).catch(() => null),
    client.getTransactionReceipt({ hash }).catch(() => null),
  ])
  if (receipt) {
    const head = await client.getBlockNumber({ cacheTime: 0 })
    return {
      hash,
      status: receipt.status === 'success' ? 'confirmed' : 'failed',
      from: receipt.from,
      nonce: tx?.nonce,
      blockNumber: receipt.blockNumber,
      confirmations: head - receipt.blockNumber + 1n,
      gasUsed: receipt.gasUsed,
    }
  }
  if (tx) await options.seen?.remember(hash, { from: tx.from, nonce: tx.nonce })
  const known = tx ? { from: tx.from, nonce: tx.nonce } : ((await options.seen?.get(hash)) ?? options.hint)
  if (!known) return { hash, status: 'unknown' }
  const mined = await client.getTransactionCount({ address: known.from, blockTag: 'latest' })
  if (mined <= known.nonce) return { hash, status: tx ? 'pending' : 'unknown', ...known }
  const replacement = await findReplacement(client, known, tx)
  return { hash, status: 'replaced', ...known, ...replacement }
}

async function findReplacement(
  client: PublicClient,
  known: { from: Address; nonce: number },
  original: Transaction | null,
): Promise<Pick<TxStatus, 'replacedBy' | 'replacement'>> {
  const head = await client.getBlockNumber({ cacheTime: 0 })
  const from = known.from.toLowerCase()
  for (let n = head; n >= 0n && n > head - REPLACEMENT_SCAN_BLOCKS; n--) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true })
    const found = block.transactions.find((t) => t.from.toLowerCase() === from && t.nonce === known.nonce)
    if (!found) continue
    const cancelled = found.to?.toLowerCase() === from && found.value === 0n
    const repriced =
      original !== null &&
      found.to === original.to &&
      found.input === original.input &&
      found.value === original.value
    return {
      replacedBy: found.hash,
      replacement: cancelled ? 'cancelled' : repriced ? 'repriced' : 'replaced',
    }
  }
  return {}
}
