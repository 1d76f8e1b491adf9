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
  const ids: CorrelationIds = {}
  addCorrelationIds(ids as Record<string, unknown>, 'requestId', 'traceId', 'spanId')
  return ids
}

/**
 * Writes the correlation ids of the work in progress into `target` under the given keys (ECS
 * names by default), skipping those that are unknown. The logger calls it for every line, so it
 * allocates nothing.
 */
export function addCorrelationIds(
  target: Record<string, unknown>,
  requestIdKey = 'request.id',
  traceIdKey = 'trace.id',
  spanIdKey = 'span.id',
): void {
  const store = requestContext.getStore()
  const span = trace.getSpan(context.active())?.spanContext()
  if (store) target[requestIdKey] = store.requestId
  if (span && span.traceId !== INVALID_TRACE_ID) {
    target[traceIdKey] = span.traceId
    target[spanIdKey] = span.spanId
  } else if (store) {
    target[traceIdKey] = store.traceId
  }
}
