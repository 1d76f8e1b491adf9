import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { routeTemplateOf } from '../http/route-template.js'
import type { HistogramSeries } from './bucket-histogram.js'
import { createHttpMetrics, UNMATCHED_ROUTE } from './http-metrics.js'

export interface MetricsPluginOptions {
  registry: Registry
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  token?: string
  /** Answers a refused scrape; the http kit passes its problem+json sender. */
  refuse: (request: FastifyRequest, reply: FastifyReply) => FastifyReply
}

/** Set to false once a request has left the in-flight count (a request can end and abort). */
const IN_FLIGHT = Symbol('inFlight')

interface Series {
  labels: Record<'method' | 'route' | 'status_code', string>
  /** Requests counted since the last scrape, handed to the counter then. */
  pending: number
  duration: HistogramSeries
  requestSize: HistogramSeries
  responseSize: HistogramSeries
}

type Tracked = FastifyRequest & { [IN_FLIGHT]?: boolean }

/** Records the HTTP metrics of every request and serves the registry at GET /metrics. */
export function registerMetrics(app: FastifyInstance, options: MetricsPluginOptions): void {
  // Per (method, route, status): the label object and histogram children, made once. Routes are
  // templates, so the map stays small.
  const series: Series[] = []
  const inFlight = new Map<string, number>()
  const metrics = createHttpMetrics(options.registry, {
    *drainRequests() {
      for (const entry of series) {
        if (entry.pending === 0) continue
        const count = entry.pending
        entry.pending = 0
        yield [entry.labels, count]
      }
    },
    inFlight: () => inFlight.entries(),
  })
  // route → method → status: three map reads and no key string built per request.
  const byRoute = new Map<string, Map<string, Map<number, Series>>>()
  const seriesFor = (method: string, route: string, status: number): Series => {
    let byMethod = byRoute.get(route)
    if (!byMethod) {
      byMethod = new Map()
      byRoute.set(route, byMethod)
    }
    let byStatus = byMethod.get(method)
    if (!byStatus) {
      byStatus = new Map()
      byMethod.set(method, byStatus)
    }
    let entry = byStatus.get(status)
    if (!entry) {
      const labels = { method, route, status_code: String(status) }
      entry = {
        labels,
        pending: 0,
        duration: metrics.duration.labels(labels),
        requestSize: metrics.requestSize.labels({ method, route }),
        responseSize: metrics.responseSize.labels(labels),
      }
      byStatus.set(status, entry)
      series.push(entry)
    }
    return entry
  }

  app.addHook('onRequest', (request, _reply, done) => {
    const method = request.method
    inFlight.set(method, (inFlight.get(method) ?? 0) + 1)
    done()
  })

  const leaveFlight = (request: FastifyRequest) => {
    const tracked = request as Tracked
    if (tracked[IN_FLIGHT] === false) return
    tracked[IN_FLIGHT] = false
    const method = request.method
    inFlight.set(method, (inFlight.get(method) ?? 1) - 1)
  }
  app.addHook('onRequestAbort', (request, done) => {
    leaveFlight(request)
    done()
  })

  app.addHook('onResponse', (request, reply, done) => {
    leaveFlight(request)
    const entry = seriesFor(request.method, routeTemplateOf(request) ?? UNMATCHED_ROUTE, reply.statusCode)
    entry.pending++
    entry.duration.observe(reply.elapsedTime / 1000)
    entry.requestSize.observe(Number(request.headers['content-length'] ?? 0) || 0)
    const responseLength = Number(reply.getHeader('content-length'))
    if (Number.isFinite(responseLength)) entry.responseSize.observe(responseLength)
    done()
  })

  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected && !bearerMatches(request.headers.authorization, expected))
      return options.refuse(request, reply)
    const body = await options.registry.metrics()
    return reply.type(options.registry.contentType).send(body)
  })
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  if (!header) return false
  const given = Buffer.from(header)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
