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

/** GET /health/live (the process runs) and GET /health/ready (every dependency answers). */
export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  app.get('/health/live', { schema: { hide: true } }, async () => ({ status: 'ok' }))

  app.get('/health/ready', { schema: { hide: true } }, async (request, reply) => {
    if (options.isShuttingDown()) {
      return options.unavailable(request, reply, 'shutting_down', 'The service is shutting down.', {})
    }
    const checks = await runChecks(options.checks)
    const failed = Object.entries(checks)
      .filter(([, result]) => result.status === 'down')
      .map(([name]) => name)
    if (failed.length > 0) {
      return options.unavailable(
        request,
        reply,
        'dependency_unavailable',
        `Not ready: ${failed.join(', ')} down.`,
        {
          failed,
          checks,
        },
      )
    }
    return { status: 'ok', checks }
  })
}
