import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isDependencyUnavailable } from './dependency-unavailable.js'
import { type FieldError, HttpProblem, PROBLEM_CONTENT_TYPE, problemBody } from './problem.js'
import type { RouteTable } from './route-table.js'

const GENERIC_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  411: 'length_required',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
}

/** Fastify's own error codes for bad requests, mapped to our stable codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
}

/**
 * Fastify's router answers a malformed URL or an over-long path parameter itself, before any
 * hook or error handler, in a JSON shape of its own; this (its `frameworkErrors` option) makes
 * those problem+json with a stable code as well.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : (error.statusCode ?? 400)
  const code = FASTIFY_CODES[error.code] ?? GENERIC_CODES[status] ?? 'bad_request'
  return sendProblem(request, reply, status, code, error.message)
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(status, code, detail, request.url.split('?')[0]!, request.id, extra))
}

/**
 * Every error leaves as problem+json: HttpProblem as thrown, schema violations as 400 with a field
 * list, Fastify's parser errors with stable codes, other 4xx by status, an unreachable backing
 * service (database failover, refused socket) as 503 with Retry-After, and anything else as a
 * logged 500 whose detail reveals nothing.
 */
export function installErrorHandling(app: FastifyInstance, routes: RouteTable): void {
  app.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => {
    if (error instanceof HttpProblem) {
      const { headers, ...extra } = error.extensions
      if (headers) reply.headers(headers)
      return sendProblem(request, reply, error.status, error.code, error.detail, extra)
    }
    if (error.validation) {
      const errors = fieldErrors(error)
      return sendProblem(request, reply, 400, 'validation_failed', 'The request does not match the schema.', {
        errors,
      })
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const code = (error.code && FASTIFY_CODES[error.code]) ?? GENERIC_CODES[status] ?? 'bad_request'
      return sendProblem(request, reply, status, code, error.message)
    }
    if (isDependencyUnavailable(error)) {
      // a database failover or restart: the client should retry, not report a bug
      request.log.warn({ err: error }, 'a backing service is unavailable')
      reply.header('retry-after', '1')
      return sendProblem(
        request,
        reply,
        503,
        'service_unavailable',
        'A backing service is unavailable; retry shortly.',
      )
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendProblem(request, reply, 500, 'internal_error', 'An unexpected error occurred.')
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!
    const allowed = routes.allowedMethods(path)
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '))
      return sendProblem(
        request,
        reply,
        405,
        'method_not_allowed',
        `${request.method} is not allowed on ${path}.`,
      )
    }
    return sendProblem(request, reply, 404, 'route_not_found', `No route ${request.method} ${path}.`)
  })
}

function fieldErrors(error: FastifyError): FieldError[] {
  const part = (error.validationContext ?? 'body') as FieldError['in']
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as Record<string, unknown>
    let path = issue.instancePath ?? ''
    if (issue.keyword === 'required' && typeof params.missingProperty === 'string') {
      path += `/${pointerSegment(params.missingProperty)}`
    }
    if (issue.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path += `/${pointerSegment(params.additionalProperty)}`
    }
    return { in: part, path: path || '/', message: issue.message ?? 'is invalid' }
  })
}

/** RFC 6901 escaping of one JSON pointer segment. */
function pointerSegment(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1')
}
