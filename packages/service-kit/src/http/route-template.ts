import type { FastifyRequest } from 'fastify'

/** Request slot for the matched route template; createApp declares it so requests keep one shape. */
export const ROUTE_TEMPLATE = Symbol('service-kit.routeTemplate')

type WithTemplate = FastifyRequest & { [ROUTE_TEMPLATE]?: string | null }

/**
 * The route template (`/v1/items/:id`) of a request, undefined when no route matched. Fastify's
 * `request.routeOptions` builds a fresh object on every read, and the kit's hooks (span, logs,
 * metrics, rate limit) each need the template, so it is read once and kept on the request.
 */
export function routeTemplateOf(request: FastifyRequest): string | undefined {
  const slot = request as WithTemplate
  const known = slot[ROUTE_TEMPLATE]
  if (typeof known === 'string') return known === '' ? undefined : known
  const url = request.routeOptions.url
  slot[ROUTE_TEMPLATE] = url ?? ''
  return url
}

/** The path without its query string, without splitting into an array. */
export function pathOf(url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}
