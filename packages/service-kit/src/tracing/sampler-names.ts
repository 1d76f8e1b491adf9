// Sampler names and defaults without the OpenTelemetry SDK, so the config schema can use them
// without loading it.

/** The OTEL_TRACES_SAMPLER values the kit understands (the OpenTelemetry SDK's names). */
export const TRACE_SAMPLERS = [
  'parentbased_traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'traceidratio',
  'always_on',
  'always_off',
] as const
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number]

/**
 * Default share of new traces kept (OTEL_TRACES_SAMPLER_ARG). A trace that arrives with a
 * sampled `traceparent` is always kept (parent based), so a caller that samples decides for the
 * whole trace. For reference, what mature APMs do by default: the OpenTelemetry SDK and Elastic
 * APM record 100 %; AWS X-Ray keeps 1 request per second plus 5 %; Datadog's agent keeps about
 * 10 traces per second and New Relic about 10 transactions per minute (adaptive); Jaeger's
 * client libraries defaulted to 0.1 %. 10 % keeps every busy route well represented while the
 * span work of the other 90 % is skipped; set OTEL_TRACES_SAMPLER_ARG=1 to trace everything.
 */
export const DEFAULT_TRACE_SAMPLE_RATIO = 0.1
export const DEFAULT_TRACE_SAMPLER: TraceSamplerName = 'parentbased_traceidratio'
