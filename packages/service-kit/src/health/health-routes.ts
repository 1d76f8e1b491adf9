import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { HealthCheck } from './checks.js'
import { runChecks } from './run-checks.js'

export interface HealthRoutesOptions {
  checks: HealthCheck[]
  /** True once shutdown began: readiness fails so load balancers stop sending traffic. */
  isShuttingDown: () => boolean
  /** Answers a failed readiness; the http kit passes its problem+json sender. */
  unavailable: (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    detail: string,
    extra: Record<string, unknown>,
  ) => FastifyReply
}

/**
 * GET /health/live (the process runs) and GET /health/ready (every critical dependency answers;
 * non-critical ones that are down are listed as `degraded` in a 200 answer).
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  app.get('/health/live', { schema: { hide: true } }, async () => ({ status: 'ok' }))

  app.get('/health/ready', { schema: { hide: true } }, async (request, reply) => {
    if (options.isShuttingDown()) {
      return options.unavailable(request, reply, 'shutting_down', 'The service is shutting down.', {})
    }
    const checks = await runChecks(options.checks)
    const down = new Set(
      Object.entries(checks)
        .filter(([, result]) => result.status === 'down')
        .map(([name]) => name),
    )
    const failed = options.checks.filter((c) => down.has(c.name) && c.critical !== false).map((c) => c.name)
    const degraded = options.checks.filter((c) => down.has(c.name) && c.critical === false).map((c) => c.name)
    if (failed.length > 0) {
      return options.unavailable(
        request,
        reply,
        'dependency_unavailable',
        `Not ready: ${failed.join(', ')} down.`,
        { failed, ...(degraded.length > 0 ? { degraded } : {}), checks },
      )
    }
    return { status: 'ok', ...(degraded.length > 0 ? { degraded } : {}), checks }
  })
}
