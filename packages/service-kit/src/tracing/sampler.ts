import { type Attributes, type Context, type Link, SpanKind } from '@opentelemetry/api'
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base'

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

export function createSampler(
  name: TraceSamplerName = DEFAULT_TRACE_SAMPLER,
  ratio: number = DEFAULT_TRACE_SAMPLE_RATIO,
): Sampler {
  return new RecordClientSpans(baseSampler(name, ratio))
}

function baseSampler(name: TraceSamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler()
    case 'always_off':
      return new AlwaysOffSampler()
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio)
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() })
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() })
    default:
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) })
  }
}

/**
 * Outgoing calls of traces that are not sampled are still recorded (not exported): slow-operation
 * detection for Redis and outgoing HTTP works from finished client spans and must see every call,
 * not one in ten. Only their spans are built; the export processors drop them, as the W3C
 * sampled flag stays off. pg spans are left unrecorded: slow SQL is timed by the db module.
 */
class RecordClientSpans implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.inner.shouldSample(context, traceId, spanName, spanKind, attributes, links)
    if (
      result.decision === SamplingDecision.NOT_RECORD &&
      spanKind === SpanKind.CLIENT &&
      attributes['db.system'] !== 'postgresql' &&
      attributes['db.system.name'] !== 'postgresql'
    ) {
      return { ...result, decision: SamplingDecision.RECORD }
    }
    return result
  }

  toString(): string {
    return `RecordClientSpans{${this.inner.toString()}}`
  }
}
