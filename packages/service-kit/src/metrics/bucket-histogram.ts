import type { Registry } from 'prom-client'

/** What a prom-client registry reads from a metric (its typings name the type with an enum). */
interface MetricSnapshot {
  name: string
  help: string
  type: 'histogram'
  aggregator: 'sum'
  values: MetricSample[]
}

interface MetricSample {
  metricName: string
  labels: Record<string, string | number>
  /** Labels prom-client writes after `le` and the default labels, as its own histograms do. */
  sharedLabels?: Record<string, string>
  value: number
}

/** One label set's buckets; observe() is what the request path calls. */
export class HistogramSeries {
  /** Per bucket (the last one is +Inf), not cumulative; made cumulative when read. */
  readonly counts: Float64Array
  sum = 0
  count = 0

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length + 1)
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return
    let bucket = 0
    while (bucket < this.upperBounds.length && value > this.upperBounds[bucket]!) bucket++
    this.counts[bucket]!++
    this.sum += value
    this.count++
  }
}

/**
 * A Prometheus histogram registered in a prom-client registry, for the HTTP metrics every request
 * updates. prom-client's Histogram validates and hashes the label set and converts the bucket
 * bound to a property key on every observe, even through a labels() child; here a series is
 * looked up once per label set and an observation is a few array operations. The registry reads
 * it like any prom-client metric (same exposition, `sum` aggregation across cluster workers).
 */
export class BucketHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly series = new Map<string, HistogramSeries>()
  private readonly upperBounds: readonly number[]

  constructor(
    readonly name: string,
    readonly help: string,
    upperBounds: readonly number[],
    registry: Registry,
  ) {
    this.upperBounds = [...upperBounds].sort((a, b) => a - b)
    registry.registerMetric(this as never)
  }

  /** The series of a label set, created on first use; callers keep it (label sets are few). */
  labels(labels: Record<string, string>): HistogramSeries {
    const key = JSON.stringify(labels, Object.keys(labels).sort())
    let series = this.series.get(key)
    if (!series) {
      series = new HistogramSeries({ ...labels }, this.upperBounds)
      this.series.set(key, series)
    }
    return series
  }

  /** The registry's text exposition reads this: the same sample order and label order as prom-client. */
  async getForPromString(): Promise<MetricSnapshot> {
    const values: MetricSample[] = []
    const bucket = `${this.name}_bucket`
    for (const series of this.series.values()) {
      const sharedLabels = series.labels
      let cumulative = 0
      this.upperBounds.forEach((bound, i) => {
        cumulative += series.counts[i]!
        values.push({ metricName: bucket, labels: { le: bound }, sharedLabels, value: cumulative })
      })
      values.push(
        { metricName: bucket, labels: { le: '+Inf' }, sharedLabels, value: series.count },
        { metricName: `${this.name}_sum`, labels: {}, sharedLabels, value: series.sum },
        { metricName: `${this.name}_count`, labels: {}, sharedLabels, value: series.count },
      )
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values }
  }

  /** getMetricsAsJSON and cluster aggregation read this: one labels object per sample. */
  async get(): Promise<MetricSnapshot> {
    const snapshot = await this.getForPromString()
    snapshot.values = snapshot.values.map(({ sharedLabels, ...sample }) => ({
      ...sample,
      labels: { ...sharedLabels, ...sample.labels },
    }))
    return snapshot
  }

  /** registry.resetMetrics() */
  reset(): void {
    for (const series of this.series.values()) {
      series.counts.fill(0)
      series.sum = 0
      series.count = 0
    }
  }
}
