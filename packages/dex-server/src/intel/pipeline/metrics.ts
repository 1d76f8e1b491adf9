import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { PipelineRuntime } from './runtime.js'

/** Lag, throughput, DLQ size and per-event latency of the pipeline, on the app's registry. */
export function registerPipelineMetrics(registry: Registry, runtime: PipelineRuntime): void {
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read()
        if (value !== undefined) this.set(value)
      },
    })
  gauge(
    'intel_pipeline_lag_events',
    'Events in the outbox not yet applied',
    () => runtime.snapshot?.lag.events,
  )
  gauge(
    'intel_pipeline_lag_seconds',
    'Age of the oldest event not yet applied',
    () => runtime.snapshot?.lag.seconds,
  )
  gauge(
    'intel_pipeline_lag_blocks',
    'Blocks between the indexer head and the last applied event',
    () => runtime.snapshot?.lag.blocks ?? undefined,
  )
  gauge('intel_pipeline_dlq_size', 'Open dead letters', () => runtime.snapshot?.dlq.open)
  gauge(
    'intel_pipeline_outbox_pending',
    'Outbox rows not yet published',
    () => runtime.snapshot?.outbox.pending,
  )
  const stats = runtime.processor.stats
  new Counter({
    name: 'intel_pipeline_events_total',
    help: 'Events handled by the pipeline consumer, by outcome (applied, duplicate, dead_lettered)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset()
      this.inc({ outcome: 'applied' }, stats.applied)
      this.inc({ outcome: 'duplicate' }, stats.duplicates)
      this.inc({ outcome: 'dead_lettered' }, stats.deadLettered)
    },
  })
  const latency = new Histogram({
    name: 'intel_pipeline_event_latency_seconds',
    help: 'From the outbox write (in the indexing transaction) to the event applied',
    buckets: [0.01, 0.05, 0.1, 0.3, 1, 3, 10, 30],
    registers: [registry],
  })
  const stageLatency = new Histogram({
    name: 'intel_pipeline_stage_latency_seconds',
    help: 'The event latency by stage: outbox (write to publish), queue (publish to delivery), apply (delivery to commit)',
    labelNames: ['stage'],
    buckets: [0.001, 0.01, 0.05, 0.1, 0.3, 1, 3, 10],
    registers: [registry],
  })
  runtime.processor.onLatency = (seconds, stages) => {
    latency.observe(seconds)
    for (const [stage, value] of Object.entries(stages)) stageLatency.observe({ stage }, value)
  }
  const batchSize = new Histogram({
    name: 'intel_pipeline_batch_events',
    help: 'Deliveries per committed consumer transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  })
  runtime.processor.onBatch = (size) => batchSize.observe(size)
}
