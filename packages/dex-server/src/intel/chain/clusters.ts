import { MultiUndirectedGraph } from 'graphology'
import { connectedComponents } from 'graphology-components'
import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'

/** A funder of more addresses than this is an exchange or faucet, not a controller (Victor 2020). */
export const HUB_FUNDEES = 6
/** Two senders trading one pool in one block at least this often, and in most blocks either trades in, act as one. */
export const TIMING_MIN_BLOCKS = 3
export const TIMING_MIN_SHARE = 0.5

export interface ClusterEdge {
  a: string
  b: string
  kind: 'shared_funder' | 'timed_trades'
  evidence: string[]
}

/**
 * First funding of each address: the earliest transaction that sent it ETH. Funders with more
 * than HUB_FUNDEES fundees are dropped (hubs); the rest link funder and fundee.
 */
export async function fundingEdges(db: IntelDb, sinceBlock: number): Promise<ClusterEdge[]> {
  const rows = await sql<{ funder: string; fundee: string; hash: string }>`
    select distinct on (to_address) from_address as funder, to_address as fundee, hash
    from intel_txs where value > 0 and to_address is not null and block_number >= ${sinceBlock}
    order by to_address, block_number, tx_index`.execute(db)
  const fundees = new Map<string, number>()
  for (const r of rows.rows) fundees.set(r.funder, (fundees.get(r.funder) ?? 0) + 1)
  return rows.rows
    .filter((r) => (fundees.get(r.funder) ?? 0) <= HUB_FUNDEES && r.funder !== r.fundee)
    .map((r) => ({ a: r.funder, b: r.fundee, kind: 'shared_funder' as const, evidence: [r.hash] }))
}

/** Senders whose swaps hit the same pool in the same direction in the same block again and again. */
export async function timingEdges(db: IntelDb, sinceBlock: number): Promise<ClusterEdge[]> {
  const rows = await sql<{ block: string; pool: string; sender: string; hash: string }>`
    select distinct s.block_number as block, s.pool || (case when s.amount0_in > 0 then ':0' else ':1' end) as pool,
      t.from_address as sender, s.tx_hash as hash
    from swaps s join intel_txs t on t.hash = s.tx_hash where s.block_number >= ${sinceBlock}`.execute(db)
  const slots = new Map<string, Map<string, string>>()
  const activity = new Map<string, Set<string>>()
  for (const r of rows.rows) {
    const slot = `${r.block}|${r.pool}`
    const senders = slots.get(slot) ?? new Map<string, string>()
    senders.set(r.sender, r.hash)
    slots.set(slot, senders)
    const blocks = activity.get(r.sender) ?? new Set<string>()
    blocks.add(String(r.block))
    activity.set(r.sender, blocks)
  }
  const together = new Map<string, { count: number; evidence: string[] }>()
  for (const senders of slots.values()) {
    const list = [...senders.keys()].sort()
    if (list.length < 2 || list.length > 8) continue
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const key = `${list[i]}|${list[j]}`
        const entry = together.get(key) ?? { count: 0, evidence: [] }
        entry.count++
        if (entry.evidence.length < 6)
          entry.evidence.push(
            senders.get(list[i] as string) as string,
            senders.get(list[j] as string) as string,
          )
        together.set(key, entry)
      }
  }
  const edges: ClusterEdge[] = []
  for (const [key, { count, evidence }] of together) {
    const [a, b] = key.split('|') as [string, string]
    const fewer = Math.min(activity.get(a)?.size ?? 0, activity.get(b)?.size ?? 0)
    if (count >= TIMING_MIN_BLOCKS && count >= fewer * TIMING_MIN_SHARE)
      edges.push({ a, b, kind: 'timed_trades', evidence })
  }
  return edges
}

export interface Cluster {
  id: string
  members: string[]
  edges: ClusterEdge[]
}

/** Connected components (graphology) of the funding and timing graph, two members or more. */
export function clustersOf(edges: readonly ClusterEdge[]): Cluster[] {
  const graph = new MultiUndirectedGraph()
  for (const edge of edges) {
    graph.mergeNode(edge.a)
    graph.mergeNode(edge.b)
    graph.addEdge(edge.a, edge.b, { kind: edge.kind, evidence: edge.evidence })
  }
  return connectedComponents(graph)
    .filter((members) => members.length >= 2)
    .map((members) => {
      const set = new Set(members)
      const sorted = [...members].sort()
      return { id: sorted[0] as string, members: sorted, edges: edges.filter((e) => set.has(e.a)) }
    })
}

/** Recomputes every cluster over the blocks since `sinceBlock` and replaces the stored ones. */
export async function refreshClusters(db: IntelDb, sinceBlock: number): Promise<Cluster[]> {
  const clusters = clustersOf([
    ...(await fundingEdges(db, sinceBlock)),
    ...(await timingEdges(db, sinceBlock)),
  ])
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('intel_clusters').execute()
    const rows = clusters.flatMap((c) =>
      c.members.map((address) => ({
        address,
        cluster_id: c.id,
        evidence: JSON.stringify(c.edges.filter((e) => e.a === address || e.b === address)),
      })),
    )
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('intel_clusters')
        .values(rows.slice(i, i + 1000))
        .execute()
  })
  return clusters
}
