import { runChecks } from '@platform/service-kit/health'
import { type App, problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { DexDeps, DexPlugin } from '../app.js'
import { intelServices, selectIntelServices } from './registry.js'
import type { IntelService } from './service.js'

export const INTEL_PREFIX = '/v1/intel'

const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  service: Type.String(),
  durationMs: Type.Integer(),
})

/**
 * Mounts each service's routes under `/v1/intel`, serves its own health at
 * `/v1/intel/<name>/health`, and adds that check to the process readiness as `intel.<name>`.
 */
export function mountIntelServices(services: readonly IntelService[]): DexPlugin {
  return async (app, deps) => {
    await app.register(
      async (scope) => {
        for (const service of services) {
          const check = { ...service.health(deps), name: `intel.${service.name}` }
          app.readiness.add(check)
          await scope.register(async (inner) => service.routes(inner as unknown as App, deps))
          scope.get(
            `/${service.name}/health`,
            {
              schema: {
                summary: `Readiness of the ${service.name} intelligence service`,
                tags: ['intel'],
                response: { 200: HealthSchema },
              },
            },
            async () => {
              const result = (await runChecks([check]))[check.name]
              if (result?.status !== 'up') {
                throw problems.unavailable(
                  `${service.name} is not ready: ${result?.error ?? 'no result'}`,
                  'service_unavailable',
                )
              }
              return { status: 'ok' as const, service: service.name, durationMs: result.durationMs }
            },
          )
        }
      },
      { prefix: INTEL_PREFIX },
    )
  }
}

/** The route plugin of the services `DEX_SERVICES` names. */
export const intelRoutes: DexPlugin = async (app, deps: DexDeps) => {
  const { services } = selectIntelServices(deps.config.DEX_SERVICES, intelServices)
  await mountIntelServices(services)(app, deps)
}
