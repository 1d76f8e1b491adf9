import type { IncomingHttpHeaders } from 'node:http'
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'

const tracer = trace.getTracer('@platform/service-kit/http')

/**
 * The HTTP server span, made by the kit's own request hook rather than by the generic HTTP
 * instrumentation: it knows the route template from the start and costs a fraction per request.
 * The incoming W3C traceparent is its parent.
 */
export function startServerSpan(
  method: string,
  route: string | undefined,
  path: string,
  headers: IncomingHttpHeaders,
): { span: Span; context: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, headers)
  // The kit's samplers decide a server span on its trace id and parent alone, so the attributes
  // are only built for a span that records (by default one request in ten).
  const span = tracer.startSpan(route ? `${method} ${route}` : method, { kind: SpanKind.SERVER }, parent)
  if (span.isRecording()) {
    const attributes: Attributes = { 'http.request.method': method, 'url.path': path }
    if (route) attributes['http.route'] = route
    span.setAttributes(attributes)
  }
  return { span, context: trace.setSpan(parent, span) }
}

export function endServerSpan(span: Span, statusCode: number | undefined): void {
  if (!span.isRecording()) return
  if (statusCode !== undefined) {
    span.setAttribute('http.response.status_code', statusCode)
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
  } else {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' })
  }
  span.end()
}

/** Runs `next` with the span's context active (what context.with does, callback style). */
export function withSpanContext(spanContext: Context, next: () => void): void {
  context.with(spanContext, next)
}

/**
 * The W3C trace headers (traceparent, tracestate) of the active context, for a call this request
 * makes to another service over HTTP, so that service's server span joins this trace. Empty when
 * no tracer is installed.
 */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {}
  propagation.inject(context.active(), carrier)
  return carrier
}
