import type { DexDeps } from '../../app.js'
import { ANALYSIS_WINDOW_BLOCKS, type ChainActivity, chainActivity } from '../chain/runtime.js'
import { honeypotVerdicts, refreshFindings } from './findings.js'
import { RiskSnapshot } from './snapshot.js'

/** Findings are recomputed over the whole window: at most this often. */
const LOOP_MS = 5_000

/**
 * The risk worker: keeps the chain activity running (it needs its transactions, clusters and
 * contract verdicts) and recomputes every address's findings over the analysis window.
 */
export class RiskRuntime {
  private timer: NodeJS.Timeout | null = null
  private busy: Promise<void> | null = null
  private lastScanned = -2
  private lastClustered = -2
  readonly activity: ChainActivity
  lastError: string | null = null
  refreshedAt: number | null = null
  /** What the routes read; null until the first refresh. */
  snapshot: RiskSnapshot | null = null

  constructor(private readonly deps: DexDeps) {
    this.activity = chainActivity(deps)
  }

  get running(): boolean {
    return this.timer !== null
  }

  /** True once the findings cover everything the chain activity has scanned and clustered. */
  get upToDate(): boolean {
    return (
      this.refreshedAt !== null &&
      this.lastScanned === this.activity.scanned &&
      this.lastClustered === this.activity.scanned
    )
  }

  async start(): Promise<void> {
    if (this.timer) return
    await this.activity.start()
    this.timer = setInterval(() => {
      if (this.busy) return
      this.busy = this.refreshIfNew().finally(() => {
        this.busy = null
      })
    }, LOOP_MS)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.busy
    await this.activity.stop()
  }

  /** Recomputes findings now (the evaluation calls it after driving the chain activity). */
  async refresh(): Promise<void> {
    const scanned = this.activity.scanned
    const clustered = this.activity.clusteredTo
    const db = this.deps.db.kysely
    const { findings, legs } = await refreshFindings(db, Math.max(0, scanned - ANALYSIS_WINDOW_BLOCKS))
    this.snapshot = new RiskSnapshot(findings, legs, await honeypotVerdicts(db), Date.now())
    this.lastScanned = scanned
    this.lastClustered = clustered
    this.refreshedAt = Date.now()
  }

  private async refreshIfNew(): Promise<void> {
    if (this.activity.scanned === this.lastScanned && this.activity.clusteredTo === this.lastClustered) return
    try {
      await this.refresh()
      this.lastError = null
    } catch (error) {
      this.lastError = (error as Error).message
      this.deps.logger.error({ err: error }, 'intel risk: refresh failed')
    }
  }
}

const runtimes = new WeakMap<DexDeps, RiskRuntime>()

export function riskRuntime(deps: DexDeps): RiskRuntime {
  let runtime = runtimes.get(deps)
  if (!runtime) {
    runtime = new RiskRuntime(deps)
    runtimes.set(deps, runtime)
  }
  return runtime
}
