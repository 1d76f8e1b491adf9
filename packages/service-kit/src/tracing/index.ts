export { slowThresholdsFromConfig, startTracingFromConfig } from './from-config.js'
export {
  createSampler,
  DEFAULT_TRACE_SAMPLE_RATIO,
  DEFAULT_TRACE_SAMPLER,
  TRACE_SAMPLERS,
  type TraceSamplerName,
} from './sampler.js'
export { endServerSpan, startServerSpan, traceHeaders, withSpanContext } from './server-span.js'
export {
  DEFAULT_SLOW_THRESHOLDS,
  SlowOperationDetector,
  type SlowOperationKind,
  type SlowThresholds,
} from './slow-operations.js'
export { SlowSpanProcessor } from './slow-span-processor.js'
export { startTracing, type Tracing, type TracingOptions } from './start-tracing.js'
