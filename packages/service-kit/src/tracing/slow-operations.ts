import { Counter, type Registry } from 'prom-client'
import type { Logger } from '../logging/index.js'

export type SlowOperationKind = 'db' | 'request' | 'external'

export interface SlowThresholds {
  /** Database call (SQL, Redis); default 500 ms. */
  dbMs: number
  /** Whole HTTP request served; default 1000 ms. */
  requestMs: number
  /** Outgoing HTTP call; default 2000 ms. */
  externalMs: number
}

export const DEFAULT_SLOW_THRESHOLDS: SlowThresholds = { dbMs: 500, requestMs: 1000, externalMs: 2000 }

const COUNTER_NAME = 'slow_operations_total'

/** Writes a warn line and counts `slow_operations_total{kind}` for operations over their threshold. */
export class SlowOperationDetector {
  readonly thresholds: SlowThresholds
  private readonly counter: Counter<'kind'>

  constructor(
    private readonly logger: Logger,
    registry: Registry,
    thresholds: Partial<SlowThresholds> = {},
  ) {
    this.thresholds = { ...DEFAULT_SLOW_THRESHOLDS, ...thresholds }
    this.counter =
      (registry.getSingleMetric(COUNTER_NAME) as Counter<'kind'> | undefined) ??
      new Counter({
        name: COUNTER_NAME,
        help: 'Operations slower than their threshold, by kind (db, request, external).',
        labelNames: ['kind'],
        registers: [registry],
      })
  }

  /** Reports the operation when it exceeded the threshold of its kind; returns whether it did. */
  observe(kind: SlowOperationKind, durationMs: number, details: Record<string, unknown> = {}): boolean {
    const threshold = this.thresholdOf(kind)
    if (durationMs <= threshold) return false
    this.counter.inc({ kind })
    this.logger.warn(
      {
        'event.kind': 'slow_operation',
        slow: { kind, durationMs: Math.round(durationMs), thresholdMs: threshold },
        ...details,
      },
      `slow ${kind} operation`,
    )
    return true
  }

  private thresholdOf(kind: SlowOperationKind): number {
    if (kind === 'db') return this.thresholds.dbMs
    if (kind === 'request') return this.thresholds.requestMs
    return this.thresholds.externalMs
  }
}
