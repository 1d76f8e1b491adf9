import type { AuditEntry } from '../audit/types.js'
import type { PrivacyRegistry } from './registry.js'

export interface RetentionRun {
  policy: string
  deleted?: number
  error?: string
}

export interface RetentionRunnerOptions {
  registry: PrivacyRegistry
  /** Usually the AuditLog; anything that records entries will do. */
  audit?: { record(entry: AuditEntry): Promise<unknown> } | undefined
  now?: () => number
}

/**
 * Calls each registered retention purge when its interval has passed. Purges must be
 * idempotent ("delete what is older than X"): with several replicas each runs them, which
 * costs a little work but never deletes too much.
 */
export class RetentionRunner {
  private readonly lastRun = new Map<string, number>()
  private readonly now: () => number
  private timer: NodeJS.Timeout | undefined
  private running: Promise<RetentionRun[]> | undefined

  constructor(private readonly options: RetentionRunnerOptions) {
    this.now = options.now ?? Date.now
  }

  /** Runs every policy that is due (a policy never run is due); one failure does not stop the others. */
  runDue(): Promise<RetentionRun[]> {
    // Overlapping ticks share one run instead of purging twice at once.
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async runOnce(): Promise<RetentionRun[]> {
    const runs: RetentionRun[] = []
    for (const policy of this.options.registry.retentionPolicies) {
      const now = this.now()
      const last = this.lastRun.get(policy.name)
      if (last !== undefined && now - last < policy.everyMs) continue
      this.lastRun.set(policy.name, now)
      try {
        const deleted = await policy.purge(new Date(now))
        runs.push({ policy: policy.name, deleted })
        await this.options.audit?.record({
          action: 'privacy.retention.purged',
          actor: { type: 'system', id: 'retention' },
          metadata: { policy: policy.name, deleted },
        })
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        runs.push({ policy: policy.name, error: message })
        await this.options.audit?.record({
          action: 'privacy.retention.purged',
          actor: { type: 'system', id: 'retention' },
          outcome: 'failure',
          metadata: { policy: policy.name, error: message },
        })
      }
    }
    return runs
  }

  /** Checks for due policies every `tickMs` until `stop()`. */
  start(tickMs = 60_000): void {
    this.timer ??= setInterval(() => void this.runDue().catch(() => {}), tickMs).unref()
    void this.runDue().catch(() => {})
  }

  /** Stops the timer and waits for a purge in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running?.catch(() => {})
  }
}
