import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify'
import type { Registry } from 'prom-client'
import type { HealthCheck } from '../health/index.js'
import type { SlowOperationDetector } from '../tracing/index.js'

/** The Fastify instance createApp returns: TypeBox schemas type the handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's own Prometheus registry: register product metrics on it. */
    metrics: { registry: Registry }
    /** Dependencies probed by /health/ready; products add theirs once they are connected. */
    readiness: { add(check: HealthCheck): void }
    /** Set by runServer when draining starts; readiness then answers 503. */
    lifecycle: { shuttingDown: boolean }
    /** Slow-operation warnings + `slow_operations_total`; pass `observe('db', …)` to openDatabase's onQuery. */
    slowOperations: SlowOperationDetector
  }
}
