import { createRequire, syncBuiltinESMExports } from 'node:module'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis'
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { NodeSDK } from '@opentelemetry/sdk-node'
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { PooledRandomIdGenerator } from './id-generator.js'
import {
  createSampler,
  DEFAULT_TRACE_SAMPLE_RATIO,
  DEFAULT_TRACE_SAMPLER,
  type TraceSamplerName,
} from './sampler.js'
import type { SlowOperationDetector } from './slow-operations.js'
import { SlowSpanProcessor } from './slow-span-processor.js'

export interface TracingOptions {
  service: string
  version?: string
  environment?: string
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. */
  endpoint?: string
  /** Exporter headers, as an object or `k=v,k2=v2` (OTEL_EXPORTER_OTLP_HEADERS). */
  headers?: Record<string, string> | string
  /** Extra exporter: span by span (tests), or batched like the OTLP exporter when `batchExporter`. */
  exporter?: SpanExporter
  batchExporter?: boolean
  /** Receives slow Redis and outgoing HTTP spans; can be set later with setSlowOperationDetector. */
  slowOperations?: SlowOperationDetector
  /** OTEL_TRACES_SAMPLER; default `parentbased_traceidratio` (see sampler.ts). */
  sampler?: TraceSamplerName
  /** OTEL_TRACES_SAMPLER_ARG: share of new traces kept by the ratio samplers; default 0.1. */
  sampleRatio?: number
}

export interface Tracing {
  /** The sampling in effect, e.g. for a startup log line or a benchmark report. */
  readonly sampling: { sampler: TraceSamplerName; ratio: number }
  /** Routes slow client spans to this detector (e.g. the app's, created after tracing started). */
  setSlowOperationDetector(detector: SlowOperationDetector): void
  forceFlush(): Promise<void>
  shutdown(): Promise<void>
}

/** The process's tracer once started; see startTracing. */
let running: Tracing | undefined

/**
 * Starts the OpenTelemetry NodeSDK for the process: W3C trace context in and out, spans for
 * outgoing HTTP, pg and ioredis (server spans come from createApp), exported over OTLP/HTTP when
 * an endpoint is set. Traces are sampled parent-based, 10 % of new ones by default (sampler.ts);
 * every request still gets a trace id for its logs and its outgoing traceparent. Call it once,
 * before serving. Trace ids reach the logs through the active context.
 */
export function startTracing(options: TracingOptions): Tracing {
  // The SDK is process-wide: when two services share a process (npm start), the first one's
  // tracer serves both, and each app routes slow spans to itself through setSlowOperationDetector.
  if (running) return running
  let detector = options.slowOperations
  // The slow-span processor is always there, so a tracer provider is registered (trace ids in
  // logs, traceparent on outgoing calls) even when nothing is exported.
  const processors: SpanProcessor[] = [new SlowSpanProcessor(() => detector)]
  if (options.endpoint) {
    const exporter = new OTLPTraceExporter({
      url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`,
      headers: parseHeaders(options.headers),
    })
    processors.push(new BatchSpanProcessor(exporter))
  }
  if (options.exporter) {
    processors.push(
      options.batchExporter
        ? new BatchSpanProcessor(options.exporter)
        : new SimpleSpanProcessor(options.exporter),
    )
  }

  const sampling = {
    sampler: options.sampler ?? DEFAULT_TRACE_SAMPLER,
    ratio: options.sampleRatio ?? DEFAULT_TRACE_SAMPLE_RATIO,
  }
  const sdk = new NodeSDK({
    sampler: createSampler(sampling.sampler, sampling.ratio),
    idGenerator: new PooledRandomIdGenerator(),
    resource: resourceFromAttributes({
      'service.name': options.service,
      ...(options.version ? { 'service.version': options.version } : {}),
      ...(options.environment ? { 'deployment.environment.name': options.environment } : {}),
    }),
    autoDetectResources: false,
    spanProcessors: processors,
    instrumentations: [
      // Server spans come from the kit's request hook (server-span.ts); this one does outgoing calls.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
    ],
  })
  sdk.start()
  patchLoadedModules()
  running = {
    sampling,
    setSlowOperationDetector(next) {
      detector = next
    },
    forceFlush: async () => {
      await Promise.all(processors.map((processor) => processor.forceFlush()))
    },
    shutdown: async () => {
      running = undefined
      await sdk.shutdown()
    },
  }
  return running
}

/**
 * The instrumentations patch a module when it is required after start. Modules the app imported
 * earlier (ESM imports of pg, ioredis, node:http) are required once more here so their shared
 * exports and prototypes get patched, and ESM named exports of builtins are re-synced.
 */
function patchLoadedModules(): void {
  const require = createRequire(import.meta.url)
  for (const name of ['node:http', 'node:https', 'pg', 'ioredis']) {
    try {
      require(name)
    } catch {
      // Not installed: nothing to patch.
    }
  }
  syncBuiltinESMExports()
}

function parseHeaders(headers: TracingOptions['headers']): Record<string, string> | undefined {
  if (!headers) return undefined
  if (typeof headers !== 'string') return headers
  const parsed: Record<string, string> = {}
  for (const pair of headers.split(',')) {
    const index = pair.indexOf('=')
    if (index > 0)
      parsed[decodeURIComponent(pair.slice(0, index).trim())] = decodeURIComponent(
        pair.slice(index + 1).trim(),
      )
  }
  return parsed
}
