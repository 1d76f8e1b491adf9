import { Counter, Gauge, type Registry } from 'prom-client'
import { BucketHistogram } from './bucket-histogram.js'

/** Route label for requests that matched no route: one fixed value keeps cardinality bounded. */
export const UNMATCHED_ROUTE = '__unmatched__'

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status_code'>
  duration: BucketHistogram
  requestSize: BucketHistogram
  responseSize: BucketHistogram
  inFlight: Gauge<'method'>
}

const SIZE_BUCKETS = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]

/**
 * Values kept outside prom-client and handed over when the registry is read: the kit counts
 * requests and requests in flight in plain numbers on the request path, because each prom-client
 * update validates and hashes its labels again.
 */
export interface HttpMetricsSources {
  /** Requests answered since the last read, per label set; the counter adds them at scrape time. */
  drainRequests?: () => Iterable<[labels: Record<'method' | 'route' | 'status_code', string>, count: number]>
  /** Requests in flight now, per method. */
  inFlight?: () => Iterable<[method: string, count: number]>
}

export function createHttpMetrics(registry: Registry, sources: HttpMetricsSources = {}): HttpMetrics {
  const registers = [registry]
  const { drainRequests, inFlight } = sources
  return {
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      registers,
      ...(drainRequests
        ? {
            collect() {
              for (const [labels, count] of drainRequests()) this.inc(labels, count)
            },
          }
        : {}),
    }),
    // Labels: method, route, status_code (request size: method, route).
    duration: new BucketHistogram(
      'http_request_duration_seconds',
      'Time from receiving the request to finishing the response.',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registry,
    ),
    requestSize: new BucketHistogram(
      'http_request_size_bytes',
      'Request body size (content-length).',
      SIZE_BUCKETS,
      registry,
    ),
    responseSize: new BucketHistogram(
      'http_response_size_bytes',
      'Response body size (content-length).',
      SIZE_BUCKETS,
      registry,
    ),
    inFlight: new Gauge({
      name: 'http_requests_in_flight',
      help: 'Requests being processed now.',
      labelNames: ['method'],
      registers,
      ...(inFlight
        ? {
            collect() {
              for (const [method, count] of inFlight()) this.set({ method }, count)
            },
          }
        : {}),
    }),
  }
}
