import { hostname } from 'node:os'
import type { AuditEntry } from '../audit/types.js'
import type { Cache } from '../cache/types.js'
import type { PrivacyRegistry } from './registry.js'

export interface RetentionRun {
  policy: string
  deleted?: number
  error?: string
}

/** Where replicas agree on who runs a policy: the shared cache (Redis in production). */
export interface RetentionLease {
  cache: Pick<Cache, 'set'>
  /** Names this replica in the lease, for whoever inspects the key (default `pid@hostname`). */
  holder?: string
}

export interface RetentionRunnerOptions {
  registry: PrivacyRegistry
  /** Usually the AuditLog; anything that records entries will do. */
  audit?: { record(entry: AuditEntry): Promise<unknown> } | undefined
  now?: () => number
  /**
   * With a shared cache, one replica runs each policy per interval: before a purge the runner takes
   * the key `retention:<policy>` with set-if-absent and a TTL of the policy's interval, and skips
   * the policy when another replica holds it. Without one, every replica runs every purge.
   */
  lease?: RetentionLease
  /** Told when the lease cannot be taken (cache down); the purge then runs anyway. */
  onLeaseError?: (error: unknown, policy: string) => void
}

/**
 * Calls each registered retention purge when its interval has passed. Purges must be
 * idempotent ("delete what is older than X"). With a lease, one replica runs each policy per
 * interval; when the lease cannot be taken the purge runs anyway, since running it twice costs a
 * little work but never deletes too much, and skipping it would keep data past its period.
 */
export class RetentionRunner {
  private readonly lastRun = new Map<string, number>()
  private readonly now: () => number
  private timer: NodeJS.Timeout | undefined
  private running: Promise<RetentionRun[]> | undefined
  /** Written into each lease taken, for whoever inspects the key. */
  private readonly holder: string

  constructor(private readonly options: RetentionRunnerOptions) {
    this.now = options.now ?? Date.now
    this.holder = options.lease?.holder ?? `${process.pid}@${hostname()}`
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
      if (!(await this.takeLease(policy.name, policy.everyMs, now))) continue
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

  /** True when this replica may run the policy now: no lease configured, lease taken, or cache down. */
  private async takeLease(policy: string, everyMs: number, now: number): Promise<boolean> {
    const lease = this.options.lease
    if (!lease) return true
    try {
      return await lease.cache.set(
        `retention:${policy}`,
        { holder: this.holder, at: new Date(now).toISOString() },
        { ttlMs: everyMs, ifAbsent: true },
      )
    } catch (error) {
      this.options.onLeaseError?.(error, policy)
      return true
    }
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
