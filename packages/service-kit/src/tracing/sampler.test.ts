import { context, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { describe, expect, it } from 'vitest'
import { createSampler, DEFAULT_TRACE_SAMPLE_RATIO, DEFAULT_TRACE_SAMPLER } from './sampler.js'

function tracerWith(sampler: ReturnType<typeof createSampler>) {
  const exported = new InMemorySpanExporter()
  const ended: ReadableSpan[] = []
  const watcher: SpanProcessor = {
    onStart() {},
    onEnd: (span) => void ended.push(span),
    forceFlush: async () => {},
    shutdown: async () => {},
  }
  const provider = new BasicTracerProvider({
    sampler,
    spanProcessors: [new SimpleSpanProcessor(exported), watcher],
  })
  return { tracer: provider.getTracer('sampler-test'), exported, ended }
}

const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
})

describe('trace sampling', () => {
  it('defaults to parent-based ratio sampling of 10 % of new traces', () => {
    expect(DEFAULT_TRACE_SAMPLER).toBe('parentbased_traceidratio')
    expect(DEFAULT_TRACE_SAMPLE_RATIO).toBe(0.1)
    const { tracer, exported } = tracerWith(createSampler())
    for (let i = 0; i < 2000; i++) tracer.startSpan('root', { kind: SpanKind.SERVER }).end()
    const kept = exported.getFinishedSpans().length
    // Trace ids are random: 10 % of 2000 is 200; the bounds leave the test no room to flake.
    expect(kept).toBeGreaterThan(100)
    expect(kept).toBeLessThan(320)
  })

  it('keeps every trace whose incoming traceparent is sampled, whatever the ratio', () => {
    const { tracer, exported } = tracerWith(createSampler('parentbased_traceidratio', 0))
    for (let i = 0; i < 20; i++) tracer.startSpan('server', { kind: SpanKind.SERVER }, sampledParent).end()
    expect(exported.getFinishedSpans()).toHaveLength(20)
  })

  it('gives unsampled requests a trace id and records their client calls without exporting them', () => {
    const { tracer, exported, ended } = tracerWith(createSampler('parentbased_traceidratio', 0))
    const server = tracer.startSpan('GET /v1/x', { kind: SpanKind.SERVER })
    expect(server.isRecording()).toBe(false)
    expect(server.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(server.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0)
    const inRequest = trace.setSpan(context.active(), server)
    const redis = tracer.startSpan(
      'get',
      { kind: SpanKind.CLIENT, attributes: { 'db.system': 'redis' } },
      inRequest,
    )
    const outgoing = tracer.startSpan(
      'GET',
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } },
      inRequest,
    )
    const sql = tracer.startSpan(
      'select',
      { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } },
      inRequest,
    )
    for (const span of [redis, outgoing, sql]) span.end()
    server.end()
    // Slow-operation detection sees the Redis and HTTP calls; SQL is timed by the db module.
    expect(ended.map((span) => span.name).sort()).toEqual(['GET', 'get'])
    expect(redis.spanContext().traceId).toBe(server.spanContext().traceId)
    expect(exported.getFinishedSpans()).toHaveLength(0)
  })

  it('honours always_on and always_off', () => {
    const on = tracerWith(createSampler('always_on'))
    on.tracer.startSpan('a').end()
    expect(on.exported.getFinishedSpans()).toHaveLength(1)
    const off = tracerWith(createSampler('always_off'))
    off.tracer.startSpan('b', { kind: SpanKind.SERVER }, sampledParent).end()
    expect(off.exported.getFinishedSpans()).toHaveLength(0)
  })
})
