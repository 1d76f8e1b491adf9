import cors from '@fastify/cors'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { context, type Span } from '@opentelemetry/api'
import Fastify, { type FastifyBaseLogger, type FastifyRequest, LogController } from 'fastify'
import type { Registry } from 'prom-client'
import { type HealthCheck, registerHealthRoutes } from '../health/index.js'
import { createLogger, type Logger, runInRequestContext } from '../logging/index.js'
import { createMetricsRegistry, registerMetrics } from '../metrics/index.js'
import {
  endServerSpan,
  SlowOperationDetector,
  type SlowThresholds,
  startServerSpan,
  type Tracing,
} from '../tracing/index.js'
import { frameworkErrorHandler, installErrorHandling, sendProblem } from './error-handler.js'
import { ProblemSchema } from './problem.js'
import { REQUEST_ID_HEADER, requestIdOf, traceIdOf } from './request-ids.js'
import { registerRequestLogging } from './request-logging.js'
import { RouteTable } from './route-table.js'
import { pathOf, ROUTE_OPTIONS, routeTemplateOf } from './route-template.js'
import { API_SECURITY_HEADERS, documentSecurityHeaders } from './security-headers.js'
import type { App } from './types.js'

export interface CreateAppOptions {
  service: string
  version?: string
  logger?: Logger
  cors?: { origins: string[] }
  /** Largest accepted body in bytes (default 1 MiB); larger gets 413. */
  bodyLimit?: number
  openapi: { title: string; description?: string }
  readiness?: HealthCheck[]
  /** When set, /metrics requires this bearer token. */
  metricsToken?: string
  trustProxy?: boolean
  /** Log all request headers and the body (masked) in the per-request line. */
  logRequestDetails?: boolean
  /** Thresholds for slow-operation warnings (db 500 ms, request 1 s, external 2 s by default). */
  slowOperations?: Partial<SlowThresholds>
  /** The process tracer (startTracing); its slow client spans are reported through this app. */
  tracing?: Tracing
  /**
   * The app's metrics registry when parts built before the app count into it (the queue);
   * createMetricsRegistry(service) by default.
   */
  registry?: Registry
}

/**
 * A Fastify 5 app with the whole kit on: request ids and log correlation, helmet, CORS allowlist,
 * body limit, problem+json errors, metrics, health, OpenAPI 3.1 at /openapi.json and docs at /docs.
 */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const logger = options.logger ?? createLogger({ service: options.service })
  const routes = new RouteTable()
  const fastify = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // The logger's mixin adds request.id / trace.id from the request context, so no child logger
    // per request is needed (and none duplicates the field).
    childLoggerFactory: (parent) => parent,
    // The kit writes its own per-request line (request-logging.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    ajv: {
      customOptions: {
        // Report every invalid field, and refuse unknown ones instead of silently dropping them.
        allErrors: true,
        removeAdditional: false,
      },
    },
  })
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>() as unknown as App

  app.addHook('onRoute', (route) => routes.add(route.url, route.method))
  // Slots every request carries, declared so all requests keep one object shape.
  app.decorateRequest(ROUTE_OPTIONS, null)
  app.decorateRequest(SERVER_SPAN, null)
  // First hook, callback style: everything after it, the handler included, runs inside the
  // request context and the server span's trace context.
  const documentHeaders = documentSecurityHeaders()
  // With the kit's tracer the ids ride in its context (one AsyncLocalStorage instead of two).
  const idsInTraceContext = options.tracing !== undefined
  app.addHook('onRequest', (request, reply, done) => {
    const route = routeTemplateOf(request)
    reply.headers(route?.startsWith(DOCS_PREFIX) ? documentHeaders : API_SECURITY_HEADERS)
    reply.header(REQUEST_ID_HEADER, request.id)
    const server = startServerSpan(request.method, route, pathOf(request.url), request.headers)
    ;(request as Spanned)[SERVER_SPAN] = server.span
    const spanContext = server.span.spanContext()
    const ids = {
      requestId: request.id,
      traceId: spanContext.traceId !== INVALID_TRACE_ID ? spanContext.traceId : traceIdOf(request.raw),
    }
    if (idsInTraceContext) runInRequestContext(ids, server.context, done)
    else runInRequestContext(ids, undefined, () => context.with(server.context, done))
  })
  const finish = (request: FastifyRequest, statusCode: number | undefined) => {
    const spanned = request as Spanned
    const span = spanned[SERVER_SPAN]
    if (!span) return
    spanned[SERVER_SPAN] = null
    endServerSpan(span, statusCode)
  }
  app.addHook('onResponse', (request, reply, done) => {
    finish(request, reply.statusCode)
    done()
  })
  app.addHook('onRequestAbort', (request, done) => {
    finish(request, undefined)
    done()
  })

  const checks = [...(options.readiness ?? [])]
  app.decorate('metrics', { registry: options.registry ?? createMetricsRegistry(options.service) })
  app.decorate('readiness', { add: (check: HealthCheck) => void checks.push(check) })
  app.decorate('lifecycle', { shuttingDown: false })
  app.decorate(
    'slowOperations',
    new SlowOperationDetector(logger, app.metrics.registry, options.slowOperations),
  )
  options.tracing?.setSlowOperationDetector(app.slowOperations)

  // Without an allowlist @fastify/cors adds no header, yet it would still run (and rebuild its
  // options) on every request and answer OPTIONS everywhere, so it is only registered with origins.
  if (options.cors?.origins.length) {
    await app.register(cors, {
      origin: options.cors.origins,
      credentials: true,
      exposedHeaders: [
        REQUEST_ID_HEADER,
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'retry-after',
      ],
    })
  }
  app.addSchema(ProblemSchema)
  await app.register(swagger, {
    // Shared schemas keep their $id as the component name (`Problem`), not `def-0`.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.openapi.title,
        version: options.version ?? '0.0.0',
        ...(options.openapi.description ? { description: options.openapi.description } : {}),
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  installErrorHandling(app, routes)
  registerRequestLogging(app, { details: options.logRequestDetails ?? false, slow: app.slowOperations })
  registerMetrics(app, {
    registry: app.metrics.registry,
    ...(options.metricsToken ? { token: options.metricsToken } : {}),
    refuse: (request, reply) => {
      reply.header('www-authenticate', 'Bearer')
      return sendProblem(
        request,
        reply,
        401,
        'unauthorized',
        'A valid bearer token is required for /metrics.',
      )
    },
  })
  registerHealthRoutes(app, {
    checks,
    isShuttingDown: () => app.lifecycle.shuttingDown,
    unavailable: (request, reply, code, detail, extra) =>
      sendProblem(request, reply, 503, code, detail, extra),
  })
  return app
}

const INVALID_TRACE_ID = '00000000000000000000000000000000'
/** The docs UI: HTML documents, which get helmet's document headers instead of the API set. */
const DOCS_PREFIX = '/docs'
const SERVER_SPAN = Symbol('service-kit.serverSpan')
type Spanned = FastifyRequest & { [SERVER_SPAN]: Span | null }
