import { AsyncLocalStorage } from 'node:async_hooks'
import { type Context, context, createContextKey, trace } from '@opentelemetry/api'

export interface RequestContext {
  requestId: string
  /** Trace id from the incoming traceparent or generated; the active OpenTelemetry span wins when there is one. */
  traceId: string
}

/** Per-request context; the http kit enters it for every request so every log line can carry the ids. */
export const requestContext = new AsyncLocalStorage<RequestContext>()

/** Where the ids live when they ride in an OpenTelemetry context instead (runInRequestContext). */
const REQUEST_CONTEXT_KEY = createContextKey('@platform/service-kit request context')

/**
 * Runs `next` in the request context. With a tracer running, `traceContext` (the one holding the
 * server span) also carries the ids, so one AsyncLocalStorage, OpenTelemetry's, propagates both:
 * on Node 20 every AsyncLocalStorage in use copies its store onto each promise, timer and socket
 * callback the request creates. Without one, the kit's own requestContext is used.
 */
export function runInRequestContext(
  ids: RequestContext,
  traceContext: Context | undefined,
  next: () => void,
): void {
  if (traceContext) context.with(traceContext.setValue(REQUEST_CONTEXT_KEY, ids), next)
  else requestContext.run(ids, next)
}

/** The request context of the work in progress, wherever runInRequestContext put it. */
export function currentRequestContext(): RequestContext | undefined {
  return (
    (context.active().getValue(REQUEST_CONTEXT_KEY) as RequestContext | undefined) ??
    requestContext.getStore()
  )
}

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
  const active = context.active()
  const store =
    (active.getValue(REQUEST_CONTEXT_KEY) as RequestContext | undefined) ?? requestContext.getStore()
  const span = trace.getSpan(active)?.spanContext()
  if (store) target[requestIdKey] = store.requestId
  if (span && span.traceId !== INVALID_TRACE_ID) {
    target[traceIdKey] = span.traceId
    target[spanIdKey] = span.spanId
  } else if (store) {
    target[traceIdKey] = store.traceId
  }
}
