import { AsyncLocalStorage } from 'node:async_hooks'
import { context, trace } from '@opentelemetry/api'

export interface RequestContext {
  requestId: string
  /** Trace id from the incoming traceparent or generated; the active OpenTelemetry span wins when there is one. */
  traceId: string
}

/** Per-request context; the http kit enters it for every request so every log line can carry the ids. */
export const requestContext = new AsyncLocalStorage<RequestContext>()

const INVALID_TRACE_ID = '00000000000000000000000000000000'

export interface CorrelationIds {
  requestId?: string
  traceId?: string
  spanId?: string
}

/** The ids of the work in progress: OpenTelemetry's active span first, then the request context. */
export function currentCorrelationIds(): CorrelationIds {
  const store = requestContext.getStore()
  const span = trace.getSpan(context.active())?.spanContext()
  const fromSpan = span && span.traceId !== INVALID_TRACE_ID ? span : undefined
  const ids: CorrelationIds = {}
  if (store) ids.requestId = store.requestId
  const traceId = fromSpan?.traceId ?? store?.traceId
  if (traceId) ids.traceId = traceId
  if (fromSpan) ids.spanId = fromSpan.spanId
  return ids
}
