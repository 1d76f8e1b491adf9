import { type Static, Type } from '@sinclair/typebox'

/** One invalid field: `path` is a JSON pointer into the part of the request named by `in`. */
export interface FieldError {
  path: string
  message: string
  in?: 'body' | 'querystring' | 'params' | 'headers'
}

export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/**
 * An error a route throws to answer with RFC 9457 problem+json. `code` is the stable, machine
 * readable reason clients switch on; `detail` is for humans and may change.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly extensions: {
      errors?: FieldError[]
      headers?: Record<string, string>
      [key: string]: unknown
    } = {},
  ) {
    super(detail ?? code)
    this.name = 'HttpProblem'
  }
}

/** Helpers for the usual cases; `code` defaults to a generic one per status. */
export const problems = {
  badRequest: (detail?: string, code = 'bad_request', errors?: FieldError[]) =>
    new HttpProblem(400, code, detail, errors ? { errors } : {}),
  unauthorized: (detail?: string, code = 'unauthorized') =>
    new HttpProblem(401, code, detail, { headers: { 'www-authenticate': 'Bearer' } }),
  forbidden: (detail?: string, code = 'forbidden') => new HttpProblem(403, code, detail),
  notFound: (detail?: string, code = 'not_found') => new HttpProblem(404, code, detail),
  conflict: (detail?: string, code = 'conflict') => new HttpProblem(409, code, detail),
  unprocessable: (detail?: string, code = 'unprocessable', errors?: FieldError[]) =>
    new HttpProblem(422, code, detail, errors ? { errors } : {}),
  tooManyRequests: (retryAfterSeconds: number, detail?: string, code = 'rate_limited') =>
    new HttpProblem(429, code, detail, {
      headers: { 'retry-after': String(Math.max(0, Math.ceil(retryAfterSeconds))) },
    }),
  unavailable: (detail?: string, code = 'unavailable') => new HttpProblem(503, code, detail),
}

/** problem+json body, for route response schemas and OpenAPI. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable reason.' }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ path: Type.String(), message: Type.String(), in: Type.Optional(Type.String()) }),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
)

export type ProblemBody = Static<typeof ProblemSchema>

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

export function problemBody(
  status: number,
  code: string,
  detail: string | undefined,
  instance: string,
  requestId: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  return {
    type: `urn:problem:${code}`,
    title: STATUS_TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    instance,
    requestId,
    ...extra,
  }
}
