import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * Helmet's headers, computed once. @fastify/helmet rebuilds the helmet middleware (CSP parsing
 * included) on every request, which cost more than the rest of the kit together in the overhead
 * benchmark; without CSP nonces the headers are the same for every response, so they are captured
 * here at startup and set from a precomputed object per request. This is the set for HTML
 * documents (the /docs UI).
 */
export function documentSecurityHeaders(options: HelmetOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
}

/**
 * The headers for API responses (JSON, problem+json, metrics), after the OWASP REST Security
 * Cheat Sheet. A JSON response is never rendered as a document, so it gets a CSP that allows
 * nothing and may not be framed, stricter than helmet's document policy and a fifth of its length;
 * helmet's headers that only steer document behaviour (Origin-Agent-Cluster, Cross-Origin-Opener-
 * Policy, X-DNS-Prefetch-Control, X-Download-Options, X-Permitted-Cross-Domain-Policies,
 * X-XSS-Protection) are left off. Each header costs every response its validation and bytes.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
})
