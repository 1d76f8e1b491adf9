import type { FastifyRequest } from 'fastify'

/** Request slot for the route's options; createApp declares it so requests keep one shape. */
export const ROUTE_OPTIONS = Symbol('service-kit.routeOptions')

type RouteOptions = FastifyRequest['routeOptions']
type WithOptions = FastifyRequest & { [ROUTE_OPTIONS]?: RouteOptions | null }

/**
 * The matched route's options (template, config), read once per request. Fastify's
 * `request.routeOptions` builds a fresh object on every read, and the kit's hooks (span, logs,
 * metrics, rate limit) each need it, so the first read is kept on the request.
 */
export function routeOptionsOf(request: FastifyRequest): RouteOptions {
  const slot = request as WithOptions
  let options = slot[ROUTE_OPTIONS]
  if (!options) {
    options = request.routeOptions
    slot[ROUTE_OPTIONS] = options
  }
  return options
}

/** The route template (`/v1/items/:id`) of a request, undefined when no route matched. */
export function routeTemplateOf(request: FastifyRequest): string | undefined {
  return routeOptionsOf(request).url
}

/** The path without its query string, without splitting into an array. */
export function pathOf(url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}
