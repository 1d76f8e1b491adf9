import type { Consumer } from '@platform/service-kit/queue'
import type { DexDeps } from '../../app.js'
import { PipelineProcessor, startPipelineConsumer } from './consumer.js'
import { type PipelineStatus, readPipelineStatus } from './status.js'
import { pipelineTopology } from './topology.js'

const REFRESH_MS = 1000

/**
 * The pipeline service of one process: its processor, its consumer and a status snapshot the
 * worker refreshes every second, so the status route and the metrics read memory, not the database.
 */
export class PipelineRuntime {
  readonly processor: PipelineProcessor
  private consumer: Consumer | null = null
  private timer: NodeJS.Timeout | null = null
  snapshot: PipelineStatus | null = null

  constructor(private readonly deps: DexDeps) {
    this.processor = new PipelineProcessor(deps.db.kysely)
  }

  get running(): boolean {
    return this.consumer !== null
  }

  /**
   * Changes whenever this process's consumer changes the aggregates (a committed batch, a reorg
   * inside one, a replayed dead letter), so answers read from them can be cached until it moves.
   * One consumer per deployment keeps events in chain order (docs/intel.md), so this process
   * sees every change.
   */
  get aggregatesVersion(): string {
    const { batches, applied } = this.processor.stats
    return `${batches}:${applied}`
  }

  async start(): Promise<void> {
    if (this.consumer) return
    this.consumer = await startPipelineConsumer(this.processor, {
      db: this.deps.db.kysely,
      queue: this.deps.queue,
      ...pipelineTopology(this.deps.db.schema),
    })
    await this.refresh()
    this.timer = setInterval(() => {
      this.refresh().catch((error) =>
        this.deps.logger.warn({ err: error }, 'pipeline: status refresh failed'),
      )
    }, REFRESH_MS)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.consumer?.cancel()
    this.consumer = null
  }

  async refresh(): Promise<PipelineStatus> {
    this.snapshot = await readPipelineStatus(
      this.deps.db.kysely,
      this.processor.stats,
      this.deps.indexer.status().head,
    )
    return this.snapshot
  }
}

const runtimes = new WeakMap<DexDeps, PipelineRuntime>()

/** The runtime shared by the service's worker, routes and health within one process. */
export function pipelineRuntime(deps: DexDeps): PipelineRuntime {
  let runtime = runtimes.get(deps)
  if (!runtime) {
    runtime = new PipelineRuntime(deps)
    runtimes.set(deps, runtime)
  }
  return runtime
}
