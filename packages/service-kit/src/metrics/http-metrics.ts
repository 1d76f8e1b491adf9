import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/** Route label for requests that matched no route: one fixed value keeps cardinality bounded. */
export const UNMATCHED_ROUTE = '__unmatched__'

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status_code'>
  duration: Histogram<'method' | 'route' | 'status_code'>
  requestSize: Histogram<'method' | 'route'>
  responseSize: Histogram<'method' | 'route' | 'status_code'>
  inFlight: Gauge<'method'>
}

const SIZE_BUCKETS = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const registers = [registry]
  return {
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving the request to finishing the response.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    requestSize: new Histogram({
      name: 'http_request_size_bytes',
      help: 'Request body size (content-length).',
      labelNames: ['method', 'route'],
      buckets: SIZE_BUCKETS,
      registers,
    }),
    responseSize: new Histogram({
      name: 'http_response_size_bytes',
      help: 'Response body size (content-length).',
      labelNames: ['method', 'route', 'status_code'],
      buckets: SIZE_BUCKETS,
      registers,
    }),
    inFlight: new Gauge({
      name: 'http_requests_in_flight',
      help: 'Requests being processed now.',
      labelNames: ['method'],
      registers,
    }),
  }
}
