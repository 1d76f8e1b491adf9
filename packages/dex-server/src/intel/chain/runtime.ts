import type { Address } from 'viem'
import type { DexDeps } from '../../app.js'
import { valueInQuote } from '../../market/pricing.js'
import { intelDb } from '../tables.js'
import { refreshClusters } from './clusters.js'
import { analyzeContract, type ContractAnalysis } from './contract-analysis.js'
import { FlowGraph } from './graph.js'
import { rollbackScan, scannedBlock, scanRange } from './scanner.js'

/** Blocks the scanner reads per step, and the window clusters and findings look back over. */
export const SCAN_STEP = 100
export const ANALYSIS_WINDOW_BLOCKS = 20_000
const LOOP_MS = 500
const REANALYZE_MS = 5 * 60_000
const ANALYSES_PER_STEP = 4
/** Clusters are recomputed over the whole window: at most this often. */
const CLUSTERS_EVERY_MS = 5_000

/**
 * Chain activity for the chain and risk services: follows the indexer's cursor, stores each
 * block's transactions and transfers, classifies MEV, analyses every indexed token (honeypot
 * check included) and recomputes address clusters. One per process, whichever service starts it.
 */
export class ChainActivity {
  private users = 0
  private loop: Promise<void> | null = null
  private running = false
  private wake: (() => void) | null = null
  private readonly analyzedAt = new Map<string, number>()
  private readonly analyzing = new Map<string, Promise<ContractAnalysis>>()
  scanned = -1
  /** The scanned block the stored clusters cover. */
  clusteredTo = -1
  private clusteredAt = 0
  lastError: string | null = null
  /**
   * Reorg epoch: grows when the indexer reports a reorg and again once the scanned rows above the
   * fork are gone. Cached answers and the flow graph are keyed by it.
   */
  epoch = 0
  /** Value flows of the scanned blocks, for the transaction graph route. */
  readonly flows: FlowGraph

  constructor(private readonly deps: DexDeps) {
    this.flows = new FlowGraph(intelDb(deps))
  }

  get alive(): boolean {
    return this.running
  }

  async start(): Promise<void> {
    this.users++
    if (this.running) return
    this.running = true
    this.scanned = await scannedBlock(this.deps.db.kysely)
    this.deps.indexer.on('reorg', this.onReorg)
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.users = Math.max(0, this.users - 1)
    if (this.users > 0) return
    this.running = false
    this.deps.indexer.off('reorg', this.onReorg)
    this.wake?.()
    await this.loop
  }

  private readonly onReorg = ({ fork }: { fork: number | null }) => {
    this.epoch++
    rollbackScan(this.deps.db.kysely, fork)
      .then(() => {
        this.scanned = Math.min(this.scanned, fork ?? -1)
        this.epoch++
      })
      .catch((error) => this.deps.logger.error({ err: error }, 'intel chain: scan rollback failed'))
  }

  /** Scans up to the indexer's cursor, analyses due tokens and refreshes clusters; returns blocks scanned. */
  async runOnce(): Promise<number> {
    const { db, indexer } = this.deps
    const target = indexer.indexedBlock ?? -1
    let blocks = 0
    while (this.scanned < target) {
      const from = this.scanned + 1
      const to = Math.min(target, from + SCAN_STEP - 1)
      await scanRange(
        {
          db: db.kysely,
          rpc: this.deps.chain.rpc,
          valueInQuote: (token, amount) => valueInQuote(this.deps.market.prices(), token, amount),
        },
        from,
        to,
      )
      this.scanned = to
      blocks += to - from + 1
    }
    await this.analyzeDueTokens()
    if (this.clusteredTo < this.scanned && Date.now() - this.clusteredAt >= CLUSTERS_EVERY_MS) {
      const scanned = this.scanned
      await refreshClusters(db.kysely, Math.max(0, scanned - ANALYSIS_WINDOW_BLOCKS))
      this.clusteredTo = scanned
      this.clusteredAt = Date.now()
    }
    return blocks
  }

  /**
   * Analyses one address now and stores it. Concurrent calls for one address share the analysis:
   * a burst of requests for a contract not analysed yet runs the bytecode read and the honeypot
   * simulation once, not once per request.
   */
  analyze(address: string): Promise<ContractAnalysis> {
    const key = address.toLowerCase()
    const running = this.analyzing.get(key)
    if (running) return running
    const analysis = this.analyzeNow(key).finally(() => this.analyzing.delete(key))
    this.analyzing.set(key, analysis)
    return analysis
  }

  private async analyzeNow(address: string): Promise<ContractAnalysis> {
    const { registry, chain } = this.deps
    const weth = chain.contracts.weth.toLowerCase()
    const analysis = await analyzeContract(chain.rpc, address as Address, {
      weth: chain.contracts.weth,
      wethPool: (token) => {
        const t = token.toLowerCase()
        const pool = registry
          .pools()
          .find((p) => (p.token0 === t && p.token1 === weth) || (p.token1 === t && p.token0 === weth))
        if (!pool) return null
        return {
          pool: pool.address as Address,
          wethReserve: pool.token0 === weth ? pool.reserve0 : pool.reserve1,
        }
      },
    })
    await intelDb(this.deps)
      .insertInto('intel_contracts')
      .values({
        address: analysis.address,
        analysis: JSON.stringify(analysis),
        honeypot: analysis.honeypot?.honeypot ?? null,
      })
      .onConflict((oc) =>
        oc.column('address').doUpdateSet({
          analysis: JSON.stringify(analysis),
          honeypot: analysis.honeypot?.honeypot ?? null,
          analyzed_at: new Date().toISOString(),
        }),
      )
      .execute()
    this.analyzedAt.set(analysis.address, Date.now())
    return analysis
  }

  private async analyzeDueTokens(): Promise<void> {
    const now = Date.now()
    const due = this.deps.registry
      .tokens()
      .map((t) => t.address)
      .filter((a) => now - (this.analyzedAt.get(a) ?? 0) > REANALYZE_MS)
      .slice(0, ANALYSES_PER_STEP)
    for (const address of due) {
      await this.analyze(address).catch((error) => {
        this.analyzedAt.set(address, now)
        this.deps.logger.warn({ err: error, address }, 'intel chain: contract analysis failed')
      })
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.runOnce()
        this.lastError = null
      } catch (error) {
        this.lastError = (error as Error).message
        this.deps.logger.error({ err: error }, 'intel chain: step failed')
      }
      if (!this.running) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, LOOP_MS)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = null
    }
  }
}

const activities = new WeakMap<DexDeps, ChainActivity>()

export function chainActivity(deps: DexDeps): ChainActivity {
  let activity = activities.get(deps)
  if (!activity) {
    activity = new ChainActivity(deps)
    activities.set(deps, activity)
  }
  return activity
}
