import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { SlowOperationDetector } from '../tracing/index.js'
import { pathOf, routeTemplateOf } from './route-template.js'

export interface RequestLoggingOptions {
  /** Include all request headers and the body (both masked); off by default for cost and privacy. */
  details?: boolean
  /** Requests over the threshold also get a slow-operation warning. */
  slow?: SlowOperationDetector
}

/** One ECS line per finished request. */
export function registerRequestLogging(app: FastifyInstance, options: RequestLoggingOptions = {}): void {
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode
    const elapsed = reply.elapsedTime
    const route = routeTemplateOf(request)
    // The details object is only built for a request that is actually slow.
    const slow = options.slow
    if (slow && elapsed > slow.thresholds.requestMs) {
      slow.observe('request', elapsed, { 'http.request.method': request.method, 'http.route': route })
    }
    const level = status >= 500 ? 'error' : 'info'
    const log = request.log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean }
    if (log.isLevelEnabled && !log.isLevelEnabled(level)) return done()
    const fields: Record<string, unknown> = {
      'http.request.method': request.method,
      'url.path': pathOf(request.url),
      'http.route': route,
      'http.response.status_code': status,
      'event.duration': Math.round(elapsed * 1e6),
      'client.ip': request.ip,
      'user_agent.original': request.headers['user-agent'],
    }
    if (options.details) {
      fields['http.request.headers'] = request.headers
      if (request.body !== undefined) fields['http.request.body'] = request.body
    }
    if (level === 'error') request.log.error(fields, 'request failed')
    else request.log.info(fields, 'request completed')
    done()
  })
}
