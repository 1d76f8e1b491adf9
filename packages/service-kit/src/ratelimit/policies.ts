import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/** Returns the bucket key for a request, or undefined when the policy does not apply to it. */
export type KeyExtractor = (request: FastifyRequest) => string | undefined

export interface RateLimitPolicy {
  /** Short stable name: part of the bucket key and of the `RateLimit-Policy` header. */
  name: string
  limit: number
  windowMs: number
  key: KeyExtractor
}

/** Per client IP (Fastify's `request.ip`, which honours `trustProxy`). */
export const byIp = (): KeyExtractor => (request) => request.ip

/**
 * Per API key taken from a header. The key is hashed so that secrets never appear in Redis
 * keys, dumps or MONITOR output.
 */
export const byApiKey =
  (header = 'x-api-key'): KeyExtractor =>
  (request) => {
    const value = request.headers[header]
    const key = Array.isArray(value) ? value[0] : value
    return key ? createHash('sha256').update(key).digest('base64url').slice(0, 32) : undefined
  }

/** Per authenticated user; the caller says where its auth layer keeps the user id. */
export const byUser =
  (userId: (request: FastifyRequest) => string | undefined): KeyExtractor =>
  (request) =>
    userId(request)
