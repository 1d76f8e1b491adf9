import type { IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { HttpProblem, REQUEST_ID_HEADER } from '@platform/service-kit/http'
import { traceHeaders } from '@platform/service-kit/tracing'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * Headers of one connection, not of the message (RFC 9110 §7.6.1), plus those the client computes
 * again for the new request: never forwarded either way.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
])

export interface IntelProxyOptions {
  /** The service, for logs and problem details. */
  service: string
  /** Scheme, host and port of the process that runs it; the request keeps its path and query. */
  origin: string
  /** The whole exchange (response headers and body) is cut off after this long. */
  timeoutMs: number
}

class UpstreamTimeout extends Error {}

/**
 * A route handler that forwards the request to `origin` as it came (method, path, query, the raw
 * body, end-to-end headers such as authorization, cookie and accept-language) and streams the answer
 * back with its status and headers, problem+json included. The upstream sees the gateway's request
 * id (one id across both logs), the W3C trace context and X-Forwarded-For/-Proto/-Host. When the
 * upstream cannot be reached the gateway answers 502 `intel_upstream_unavailable`, when it is too
 * slow 504 `intel_upstream_timeout`, both problem+json.
 */
export function intelProxy(options: IntelProxyOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new UpstreamTimeout()), options.timeoutMs)
    // The client went away before the answer was complete: stop the upstream request too.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort()
    })
    const method = request.method
    const body = method === 'GET' || method === 'HEAD' ? undefined : (request.body as Buffer | undefined)
    let response: Response
    try {
      response = await fetch(`${options.origin}${request.url}`, {
        method,
        headers: forwardedHeaders(request),
        // A copy on its own ArrayBuffer: the DOM typing of fetch (the web app type-checks this
        // module too) refuses a Buffer, whose memory may be a shared pool.
        ...(body && body.length > 0 ? { body: Uint8Array.from(body) } : {}),
        redirect: 'manual',
        signal: controller.signal,
      })
    } catch (error) {
      clearTimeout(timer)
      throw upstreamProblem(request, options, controller.signal.reason, error)
    }
    reply.code(response.status)
    const connectionOnly = namedIn(response.headers.get('connection'))
    for (const [name, value] of response.headers) {
      if (name === 'set-cookie' || HOP_BY_HOP.has(name) || connectionOnly.includes(name)) continue
      reply.header(name, value)
    }
    const cookies = response.headers.getSetCookie()
    if (cookies.length > 0) reply.header('set-cookie', cookies)
    if (response.body === null) {
      clearTimeout(timer)
      return reply.send()
    }
    const stream = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
    stream.once('close', () => clearTimeout(timer))
    return reply.send(stream)
  }
}

/** The request's end-to-end headers, with the gateway's request id, trace context and forwarding headers. */
function forwardedHeaders(request: FastifyRequest): Headers {
  const incoming: IncomingHttpHeaders = request.headers
  const named = namedIn(incoming.connection)
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  // fetch would decompress a gzip answer yet keep its content-encoding header: ask for none.
  headers.set('accept-encoding', 'identity')
  headers.set(REQUEST_ID_HEADER, request.id)
  const peer = request.socket.remoteAddress
  if (peer) {
    const prior = headers.get('x-forwarded-for')
    headers.set('x-forwarded-for', prior ? `${prior}, ${peer}` : peer)
  }
  if (!headers.has('x-forwarded-proto')) headers.set('x-forwarded-proto', request.protocol)
  if (!headers.has('x-forwarded-host') && incoming.host) headers.set('x-forwarded-host', incoming.host)
  for (const [name, value] of Object.entries(traceHeaders())) headers.set(name, value)
  return headers
}

/** The headers a Connection header names: they belong to that connection only. */
function namedIn(connection: string | null | undefined): string[] {
  return String(connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)
}

function upstreamProblem(
  request: FastifyRequest,
  options: IntelProxyOptions,
  reason: unknown,
  error: unknown,
): HttpProblem {
  if (reason instanceof UpstreamTimeout) {
    request.log.warn(
      { service: options.service, upstream: options.origin, timeoutMs: options.timeoutMs },
      'intel: upstream timed out',
    )
    return new HttpProblem(
      504,
      'intel_upstream_timeout',
      `the ${options.service} service did not answer within ${options.timeoutMs} ms`,
      { service: options.service },
    )
  }
  const cause = (error as { cause?: { code?: unknown } }).cause
  request.log.warn(
    { err: error, cause, service: options.service, upstream: options.origin },
    'intel: upstream unreachable',
  )
  return new HttpProblem(
    502,
    'intel_upstream_unavailable',
    `the ${options.service} service cannot be reached`,
    {
      service: options.service,
      headers: { 'retry-after': '1' },
    },
  )
}
