import { MultiDirectedGraph } from 'graphology'
import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'

export const MAX_DEPTH = 3
/** Counterparties walked per address (the most transfers first). */
export const MAX_NEIGHBOURS = 25
/** Page sizes of one graph answer: nodes and edges, default and most. */
export const GRAPH_NODES = { default: 50, max: 200 }
export const GRAPH_EDGES = { default: 100, max: 500 }
/** Blocks of flows the index holds: at least this many, and it is rebuilt before it spans twice as many. */
export const GRAPH_WINDOW_BLOCKS = 20_000
/** Transaction hashes kept as evidence per edge (the newest). */
const EVIDENCE = 3

export interface GraphEdge {
  from: string
  to: string
  token: string | null
  transfers: number
  total: string
  evidence: string[]
}

export interface GraphAnswer {
  address: string
  depth: number
  truncated: boolean
  nodes: Array<{ address: string; depth: number; kind: 'pool' | 'account' }>
  edges: GraphEdge[]
}

interface Flow {
  from: string
  to: string
  token: string | null
  transfers: number
  total: bigint
  /** Newest first: [hash, block]. */
  evidence: Array<[string, number]>
}

interface FlowRow {
  from_address: string
  to_address: string
  token: string | null
  value: string
  tx_hash: string
  block_number: string
}

/** Token transfers and ETH payments of blocks `from`..`to`. */
async function flowRows(db: IntelDb, from: number, to: number): Promise<FlowRow[]> {
  const rows = await sql<FlowRow>`
    select from_address, to_address, token, value, tx_hash, block_number from intel_transfers
    where block_number between ${from} and ${to}
    union all
    select from_address, to_address, null as token, value, hash as tx_hash, block_number from intel_txs
    where block_number between ${from} and ${to} and value > 0 and to_address is not null`.execute(db)
  return rows.rows
}

/**
 * Every value flow (ERC-20 transfers and ETH payments) of the scanned blocks, aggregated per
 * sender, receiver and token in one graphology multigraph (one edge per token). It is brought up
 * to the scanner's block once per new block, by reading only the new blocks; a reorg (a new
 * `epoch`) or a window grown past twice GRAPH_WINDOW_BLOCKS rebuilds it. Requests walk memory.
 */
export class FlowGraph {
  private graph = new MultiDirectedGraph<Record<string, never>, Flow>()
  /** Blocks the graph holds: fromBlock..toBlock. */
  private fromBlock = 0
  private toBlock = -1
  private epoch = -1
  private updating: Promise<void> | null = null
  /** Each node's flows sorted by transfers, per graph version. */
  private readonly ranked = new Map<string, Flow[]>()

  constructor(private readonly db: IntelDb) {}

  /** The version answers of this graph are valid for: changes with each new block and reorg. */
  get version(): string {
    return `${this.epoch}:${this.fromBlock}:${this.toBlock}`
  }

  /** Brings the graph to `scanned` (the scanner's block) under reorg `epoch`; concurrent calls share one update. */
  async sync(scanned: number, epoch: number): Promise<void> {
    // Epochs only grow: a caller that read an older one is served by the newer graph.
    while (this.epoch < epoch || (this.epoch === epoch && this.toBlock < scanned)) {
      if (!this.updating) {
        this.updating = this.update(scanned, epoch).finally(() => {
          this.updating = null
        })
      }
      await this.updating
    }
  }

  private async update(scanned: number, epoch: number): Promise<void> {
    const rebuild = epoch !== this.epoch || scanned - this.fromBlock + 1 > 2 * GRAPH_WINDOW_BLOCKS
    const from = rebuild ? Math.max(0, scanned - GRAPH_WINDOW_BLOCKS + 1) : this.toBlock + 1
    const rows = scanned >= from ? await flowRows(this.db, from, scanned) : []
    const graph = rebuild ? new MultiDirectedGraph<Record<string, never>, Flow>() : this.graph
    for (const r of rows) {
      const key = `${r.from_address}>${r.to_address}>${r.token ?? 'eth'}`
      const block = Number(r.block_number)
      const flow = graph.hasEdge(key) ? graph.getEdgeAttributes(key) : null
      if (flow === null) {
        graph.mergeNode(r.from_address)
        graph.mergeNode(r.to_address)
        graph.addDirectedEdgeWithKey(key, r.from_address, r.to_address, {
          from: r.from_address,
          to: r.to_address,
          token: r.token,
          transfers: 1,
          total: BigInt(r.value),
          evidence: [[r.tx_hash, block]],
        })
        continue
      }
      flow.transfers++
      flow.total += BigInt(r.value)
      flow.evidence.push([r.tx_hash, block])
      flow.evidence.sort((a, b) => b[1] - a[1])
      if (flow.evidence.length > EVIDENCE) flow.evidence.length = EVIDENCE
    }
    this.graph = graph
    if (rebuild) this.fromBlock = from
    this.toBlock = scanned
    this.epoch = epoch
    this.ranked.clear()
  }

  /** The node's flows in and out, most transfers first, at most MAX_NEIGHBOURS * 2. */
  private flowsOf(node: string): Flow[] {
    let flows = this.ranked.get(node)
    if (!flows) {
      flows = this.graph.hasNode(node) ? this.graph.mapEdges(node, (_key, flow) => flow) : []
      flows.sort((a, b) => b.transfers - a.transfers)
      flows = flows.slice(0, MAX_NEIGHBOURS * 2)
      this.ranked.set(node, flows)
    }
    return flows
  }

  /**
   * The address's graph to `depth` hops, breadth first over flows in both directions, at most
   * `maxNodes` nodes and `maxEdges` edges (`truncated` says a bound cut it). Pools are leaves:
   * everyone trades with them, so walking through one would pull in the whole market.
   */
  walk(
    address: string,
    depth: number,
    bounds: { maxNodes: number; maxEdges: number },
    pools: ReadonlySet<string>,
  ): GraphAnswer {
    const level = new Map<string, number>([[address, 0]])
    const edges = new Map<string, Flow>()
    let frontier = [address]
    let truncated = false
    for (let d = 0; d < depth && frontier.length > 0; d++) {
      const next: string[] = []
      for (const node of frontier) {
        if (pools.has(node)) continue
        for (const flow of this.flowsOf(node)) {
          for (const end of [flow.from, flow.to]) {
            if (level.has(end)) continue
            if (level.size >= bounds.maxNodes) {
              truncated = true
              continue
            }
            level.set(end, d + 1)
            next.push(end)
          }
          if (!level.has(flow.from) || !level.has(flow.to)) continue
          const key = `${flow.from}>${flow.to}>${flow.token ?? 'eth'}`
          if (edges.has(key)) continue
          if (edges.size >= bounds.maxEdges) {
            truncated = true
            continue
          }
          edges.set(key, flow)
        }
      }
      frontier = next
    }
    return {
      address,
      depth,
      truncated,
      nodes: [...level].map(([node, d]) => ({
        address: node,
        depth: d,
        kind: pools.has(node) ? ('pool' as const) : ('account' as const),
      })),
      edges: [...edges.values()].map((flow) => ({
        from: flow.from,
        to: flow.to,
        token: flow.token,
        transfers: flow.transfers,
        total: flow.total.toString(),
        evidence: flow.evidence.map(([hash]) => hash),
      })),
    }
  }
}
