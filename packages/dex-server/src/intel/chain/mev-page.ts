import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'

/** The widest block range one /mev request may ask for. */
export const MAX_MEV_RANGE = 5_000
/** Findings per page: default and most. */
export const MEV_PAGE = { default: 100, max: 500 }
/** A page cursor: the last finding's block and id (`block-id`). */
export const MEV_CURSOR_PATTERN = '^[0-9]{1,16}-[0-9]{1,19}$'

export interface MevFindingAnswer {
  kind: 'sandwich' | 'arbitrage'
  blockNumber: number
  transactions: string[]
  attacker: string
  victim: string | null
  pools: string[]
  profitToken: string
  profit: string
  profitQuote: string | null
}

export interface MevPage {
  findings: MevFindingAnswer[]
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null
}

/**
 * One page of the MEV findings of blocks `fromBlock`..`toBlock`, in block then id order, after
 * `cursor` (a previous page's nextCursor). Reads `limit + 1` rows off (block_number, id) to know
 * whether another page follows.
 */
export async function mevPage(
  db: IntelDb,
  range: { fromBlock: number; toBlock: number },
  limit: number,
  cursor?: string,
): Promise<MevPage> {
  let query = db
    .selectFrom('intel_mev')
    .select([
      'id',
      'kind',
      'block_number',
      'txs',
      'attacker',
      'victim',
      'pools',
      'profit_token',
      'profit',
      'profit_quote',
    ])
    .where('block_number', '>=', String(range.fromBlock))
    .where('block_number', '<=', String(range.toBlock))
  if (cursor !== undefined) {
    const [block, id] = cursor.split('-') as [string, string]
    query = query.where(sql<boolean>`(block_number, id) > (${block}::bigint, ${id}::bigint)`)
  }
  const rows = await query
    .orderBy('block_number')
    .orderBy('id')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    findings: page.map((r) => ({
      kind: r.kind,
      blockNumber: Number(r.block_number),
      transactions: r.txs as string[],
      attacker: r.attacker,
      victim: r.victim,
      pools: r.pools as string[],
      profitToken: r.profit_token,
      profit: String(r.profit),
      profitQuote: r.profit_quote === null ? null : String(r.profit_quote),
    })),
    nextCursor: rows.length > limit && last ? `${last.block_number}-${last.id}` : null,
  }
}
