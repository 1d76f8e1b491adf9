import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { createHttpMetrics, UNMATCHED_ROUTE } from './http-metrics.js'

export interface MetricsPluginOptions {
  registry: Registry
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  token?: string
  /** Answers a refused scrape; the http kit passes its problem+json sender. */
  refuse: (request: FastifyRequest, reply: FastifyReply) => FastifyReply
}

const IN_FLIGHT_DONE = Symbol('inFlightDone')

/** Records the HTTP metrics of every request and serves the registry at GET /metrics. */
export function registerMetrics(app: FastifyInstance, options: MetricsPluginOptions): void {
  const metrics = createHttpMetrics(options.registry)
  // Label children per (method, route, status): prom-client would otherwise hash the label object
  // on each of the four updates of every request. Routes are templates, so the map stays small.
  const series = new Map<string, ReturnType<typeof bindSeries>>()
  const bindSeries = (method: string, route: string, status: number) => {
    const labels = { method, route, status_code: String(status) }
    return {
      requests: metrics.requests.labels(labels),
      duration: metrics.duration.labels(labels),
      requestSize: metrics.requestSize.labels({ method, route }),
      responseSize: metrics.responseSize.labels(labels),
    }
  }
  const seriesFor = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`
    let bound = series.get(key)
    if (!bound) {
      bound = bindSeries(method, route, status)
      series.set(key, bound)
    }
    return bound
  }

  const inFlightByMethod = new Map<string, ReturnType<typeof metrics.inFlight.labels>>()
  const inFlightOf = (method: string) => {
    let child = inFlightByMethod.get(method)
    if (!child) {
      child = metrics.inFlight.labels({ method })
      inFlightByMethod.set(method, child)
    }
    return child
  }
  app.addHook('onRequest', (request, _reply, done) => {
    inFlightOf(request.method).inc()
    done()
  })

  const leaveFlight = (request: FastifyRequest) => {
    const flagged = request as FastifyRequest & { [IN_FLIGHT_DONE]?: boolean }
    if (flagged[IN_FLIGHT_DONE]) return
    flagged[IN_FLIGHT_DONE] = true
    inFlightOf(request.method).dec()
  }
  app.addHook('onRequestAbort', (request, done) => {
    leaveFlight(request)
    done()
  })

  app.addHook('onResponse', (request, reply, done) => {
    leaveFlight(request)
    const series = seriesFor(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode)
    series.requests.inc()
    series.duration.observe(reply.elapsedTime / 1000)
    series.requestSize.observe(Number(request.headers['content-length'] ?? 0) || 0)
    const responseLength = Number(reply.getHeader('content-length'))
    if (Number.isFinite(responseLength)) series.responseSize.observe(responseLength)
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
