import { Counter, Histogram, type Registry } from 'prom-client'

export type JobOutcome = 'acked' | 'retried' | 'dead_lettered'

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make()
}

/**
 * Job metrics on the app's Registry. The `queue` label is the queue (or, for events, the
 * exchange) name: names are fixed in code, so the cardinality stays bounded; temporary
 * subscriber queues are reported as `<exchange>.temporary` for the same reason.
 */
export class QueueMetrics {
  private readonly jobs?: Counter<'queue' | 'outcome'>
  private readonly duration?: Histogram<'queue'>
  private readonly published?: Counter<'queue'>

  constructor(registry?: Registry) {
    if (!registry) return
    this.jobs = reuse(
      registry,
      'queue_jobs_total',
      () =>
        new Counter({
          name: 'queue_jobs_total',
          help: 'Jobs handled, by queue and outcome (acked, retried, dead_lettered)',
          labelNames: ['queue', 'outcome'],
          registers: [registry],
        }),
    )
    this.duration = reuse(
      registry,
      'queue_job_duration_seconds',
      () =>
        new Histogram({
          name: 'queue_job_duration_seconds',
          help: 'Time spent in job handlers',
          labelNames: ['queue'],
          buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30],
          registers: [registry],
        }),
    )
    this.published = reuse(
      registry,
      'queue_published_total',
      () =>
        new Counter({
          name: 'queue_published_total',
          help: 'Messages published, by queue or exchange',
          labelNames: ['queue'],
          registers: [registry],
        }),
    )
  }

  publish(queue: string): void {
    this.published?.inc({ queue })
  }

  handled(queue: string, outcome: JobOutcome, startedAt: number): void {
    this.jobs?.inc({ queue, outcome })
    this.duration?.observe({ queue }, (performance.now() - startedAt) / 1000)
  }
}
