import { type Context, SpanKind } from '@opentelemetry/api'
import { hrTimeToMilliseconds } from '@opentelemetry/core'
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { SlowOperationDetector } from './slow-operations.js'

/**
 * Feeds finished client spans to the slow-operation detector: database spans (Redis, pg) as `db`,
 * outgoing HTTP as `external`. SQL through Kysely is also timed in the db module, so pg spans are
 * left out here to avoid counting one query twice.
 */
export class SlowSpanProcessor implements SpanProcessor {
  constructor(private readonly detector: () => SlowOperationDetector | undefined) {}

  onStart(_span: Span, _context: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (span.kind !== SpanKind.CLIENT) return
    const detector = this.detector()
    if (!detector) return
    const durationMs = hrTimeToMilliseconds(span.duration)
    const system = span.attributes['db.system'] ?? span.attributes['db.system.name']
    const details = { 'span.name': span.name, 'trace.id': span.spanContext().traceId }
    if (system !== undefined) {
      if (system !== 'postgresql') detector.observe('db', durationMs, { ...details, 'db.system': system })
      return
    }
    if (span.attributes['http.request.method'] ?? span.attributes['http.method']) {
      const url = span.attributes['url.full'] ?? span.attributes['http.url']
      detector.observe('external', durationMs, { ...details, 'url.full': stripQuery(url) })
    }
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

function stripQuery(url: unknown): string | undefined {
  return typeof url === 'string' ? url.split('?')[0] : undefined
}
