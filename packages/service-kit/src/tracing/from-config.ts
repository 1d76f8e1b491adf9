import type { BaseConfig } from '../config/base-schema.js'
import type { TraceSamplerName } from './sampler.js'
import type { SlowThresholds } from './slow-operations.js'
import { startTracing, type Tracing } from './start-tracing.js'

type TracingConfig = Pick<
  BaseConfig,
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_HEADERS'
  | 'OTEL_TRACES_SAMPLER'
  | 'OTEL_TRACES_SAMPLER_ARG'
> & { NODE_ENV?: string }

/**
 * Starts tracing for a service with the configured sampling, exporting over OTLP only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set. It starts either way: slow Redis calls and slow outgoing
 * HTTP calls (SLOW_DB_MS, SLOW_EXTERNAL_MS) are seen through their client spans, which are
 * recorded even when nothing is exported. Call it before the database and Redis clients are
 * created so their spans are made.
 */
export function startTracingFromConfig(config: TracingConfig, service: string, version?: string): Tracing {
  return startTracing({
    service,
    ...(version ? { version } : {}),
    ...(config.NODE_ENV ? { environment: config.NODE_ENV } : {}),
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    ...(config.OTEL_EXPORTER_OTLP_HEADERS ? { headers: config.OTEL_EXPORTER_OTLP_HEADERS } : {}),
    sampler: config.OTEL_TRACES_SAMPLER as TraceSamplerName,
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
  })
}

/** The slow-operation thresholds of the base config (SLOW_DB_MS, SLOW_REQUEST_MS, SLOW_EXTERNAL_MS). */
export function slowThresholdsFromConfig(
  config: Pick<BaseConfig, 'SLOW_DB_MS' | 'SLOW_REQUEST_MS' | 'SLOW_EXTERNAL_MS'>,
): SlowThresholds {
  return { dbMs: config.SLOW_DB_MS, requestMs: config.SLOW_REQUEST_MS, externalMs: config.SLOW_EXTERNAL_MS }
}
