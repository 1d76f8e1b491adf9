import { Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { BucketHistogram } from './bucket-histogram.js'

const BOUNDS = [0.005, 0.1, 1, 10]
const OBSERVATIONS: [Record<string, string>, number][] = [
  [{ method: 'GET', route: '/a' }, 0.001],
  [{ method: 'GET', route: '/a' }, 0.005],
  [{ method: 'GET', route: '/a' }, 0.0051],
  [{ method: 'GET', route: '/a' }, 11],
  [{ route: '/b', method: 'POST' }, 1],
  [{ method: 'POST', route: '/b' }, 0.5],
]

describe('BucketHistogram', () => {
  it("exposes exactly what prom-client's Histogram exposes for the same observations", async () => {
    const theirs = new Registry()
    theirs.setDefaultLabels({ service: 's' })
    const reference = new Histogram({
      name: 'latency_seconds',
      help: 'h',
      labelNames: ['method', 'route'],
      buckets: BOUNDS,
      registers: [theirs],
    })
    const ours = new Registry()
    ours.setDefaultLabels({ service: 's' })
    const histogram = new BucketHistogram('latency_seconds', 'h', BOUNDS, ours)
    for (const [labels, value] of OBSERVATIONS) {
      reference.observe(labels, value)
      histogram.labels(labels).observe(value)
    }
    expect(await ours.metrics()).toBe(await theirs.metrics())
    // prom-client adds `exemplar: null` to bucket samples; exemplars are not used
    const withoutExemplars = (await theirs.getMetricsAsJSON()).map((metric) => ({
      ...metric,
      values: metric.values.map((sample) => {
        const { exemplar: _, ...rest } = sample as typeof sample & { exemplar?: unknown }
        return rest
      }),
    }))
    expect(await ours.getMetricsAsJSON()).toEqual(withoutExemplars)
  })

  it('keeps one series per label set whatever the key order, ignores non-finite values, and resets', async () => {
    const registry = new Registry()
    const histogram = new BucketHistogram('size_bytes', 'h', [10, 100], registry)
    const series = histogram.labels({ a: '1', b: '2' })
    expect(histogram.labels({ b: '2', a: '1' })).toBe(series)
    series.observe(Number.NaN)
    series.observe(50)
    expect(await registry.metrics()).toContain('size_bytes_count{a="1",b="2"} 1')
    registry.resetMetrics()
    expect(await registry.metrics()).toContain('size_bytes_count{a="1",b="2"} 0')
  })
})
