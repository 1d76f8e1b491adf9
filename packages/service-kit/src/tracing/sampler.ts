import { type Attributes, type Context, type Link, SpanKind } from '@opentelemetry/api'
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base'
import { DEFAULT_TRACE_SAMPLE_RATIO, DEFAULT_TRACE_SAMPLER, type TraceSamplerName } from './sampler-names.js'
import { TraceIdRatioSampler } from './trace-id-ratio.js'

export {
  DEFAULT_TRACE_SAMPLE_RATIO,
  DEFAULT_TRACE_SAMPLER,
  TRACE_SAMPLERS,
  type TraceSamplerName,
} from './sampler-names.js'

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
      return new TraceIdRatioSampler(ratio)
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() })
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() })
    default:
      return new ParentBasedSampler({ root: new TraceIdRatioSampler(ratio) })
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
