import { MultiDirectedGraph } from 'graphology'
import { bfsFromNode } from 'graphology-traversal'
import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'

export const MAX_DEPTH = 3
/** Neighbours read per address and nodes per answer: the bounds of one graph request. */
export const MAX_NEIGHBOURS = 25
export const MAX_NODES = 200

export interface GraphAnswer {
  address: string
  depth: number
  truncated: boolean
  nodes: Array<{ address: string; depth: number; kind: 'pool' | 'account' }>
  edges: Array<{
    from: string
    to: string
    token: string | null
    transfers: number
    total: string
    evidence: string[]
  }>
}

interface Flow {
  from: string
  to: string
  token: string | null
  transfers: number
  total: string
  evidence: string[]
}

/** Token transfers and ETH payments in and out of one address, aggregated per counterparty and token. */
async function flowsOf(db: IntelDb, address: string): Promise<Flow[]> {
  const rows = await sql<{
    from_address: string
    to_address: string
    token: string | null
    n: string
    total: string
    evidence: string[]
  }>`
    select from_address, to_address, token, count(*) as n, sum(value) as total,
      (array_agg(tx_hash order by block_number desc))[1:3] as evidence
    from (
      select from_address, to_address, token, value, tx_hash, block_number from intel_transfers
      where from_address = ${address} or to_address = ${address}
      union all
      select from_address, to_address, null as token, value, hash as tx_hash, block_number from intel_txs
      where value > 0 and (from_address = ${address} or to_address = ${address})
    ) f
    group by from_address, to_address, token
    order by count(*) desc limit ${MAX_NEIGHBOURS * 2}`.execute(db)
  return rows.rows.map((r) => ({
    from: r.from_address,
    to: r.to_address,
    token: r.token,
    transfers: Number(r.n),
    total: String(r.total),
    evidence: r.evidence,
  }))
}

/**
 * The address's transaction graph to `depth` hops: a directed graphology graph of value flows
 * (ERC-20 transfers and ETH payments), walked breadth first from the address. Pools are leaves:
 * everyone trades with them, so walking through one would pull in the whole market.
 */
export async function transactionGraph(db: IntelDb, address: string, depth: number): Promise<GraphAnswer> {
  const pools = new Set(
    (await db.selectFrom('pools').select('address').execute()).map((p) => p.address as string),
  )
  // Multi: two addresses can exchange several tokens, one edge per token.
  const graph = new MultiDirectedGraph()
  graph.addNode(address)
  let frontier = [address]
  let truncated = false
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = []
    for (const node of frontier) {
      if (pools.has(node)) continue
      for (const flow of await flowsOf(db, node)) {
        for (const end of [flow.from, flow.to]) {
          if (graph.hasNode(end)) continue
          if (graph.order >= MAX_NODES) {
            truncated = true
            continue
          }
          graph.addNode(end)
          next.push(end)
        }
        if (graph.hasNode(flow.from) && graph.hasNode(flow.to)) {
          const key = `${flow.from}>${flow.to}>${flow.token ?? 'eth'}`
          if (!graph.hasEdge(key)) graph.addDirectedEdgeWithKey(key, flow.from, flow.to, flow)
        }
      }
    }
    frontier = next
  }
  const depths = new Map<string, number>()
  bfsFromNode(graph, address, (node, _attributes, d) => void depths.set(node, d), { mode: 'outbound' })
  bfsFromNode(
    graph,
    address,
    (node, _attributes, d) => void depths.set(node, Math.min(depths.get(node) ?? d, d)),
    { mode: 'inbound' },
  )
  return {
    address,
    depth,
    truncated,
    nodes: graph.mapNodes((node) => ({
      address: node,
      depth: depths.get(node) ?? depth,
      kind: pools.has(node) ? ('pool' as const) : ('account' as const),
    })),
    edges: graph.mapEdges((_key, attributes) => {
      const flow = attributes as Flow
      return {
        from: flow.from,
        to: flow.to,
        token: flow.token,
        transfers: flow.transfers,
        total: flow.total,
        evidence: flow.evidence,
      }
    }),
  }
}
