import { type HealthCheck, runChecks } from '@platform/service-kit/health'
import { type App, problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { RouteHandlerMethod } from 'fastify'
import type { DexDeps, DexPlugin } from '../app.js'
import { intelProxy } from './proxy.js'
import { intelServices, selectIntelServices } from './registry.js'
import type { IntelService } from './service.js'
import type { IntelUpstream } from './upstreams.js'

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
          service.metrics?.(app.metrics.registry, deps)
          await scope.register(async (inner) => service.routes(inner as unknown as App, deps))
          scope.get(`/${service.name}/health`, { schema: healthRouteSchema(service.name) }, async () => {
            const result = (await runChecks([check]))[check.name]
            if (result?.status !== 'up') {
              throw problems.unavailable(
                `${service.name} is not ready: ${result?.error ?? 'no result'}`,
                'service_unavailable',
              )
            }
            return { status: 'ok' as const, service: service.name, durationMs: result.durationMs }
          })
        }
      },
      { prefix: INTEL_PREFIX },
    )
  }
}

const healthRouteSchema = (name: string) => ({
  summary: `Readiness of the ${name} intelligence service`,
  tags: ['intel'],
  response: { 200: HealthSchema },
})

export interface RemoteIntelService {
  service: IntelService
  /** Scheme, host and port of the process that runs it (DEX_INTEL_UPSTREAMS). */
  origin: string
}

/**
 * Serves services another process runs: their routes are declared here from the same service
 * modules (so the OpenAPI document and the route table are the same as where they run), with the
 * proxy as handler and neither body parsing nor validation, so the upstream sees the request as it
 * came and its answers (validation problems included) come back unchanged. Their workers do not
 * run here. Each upstream's own health is a non-critical readiness check `intel.<name>`: an
 * upstream that is down makes its routes answer 502, not the whole gateway unready, since the
 * gateway's other routes (pools, quotes, swaps, the other services) still work and a restart
 * of the gateway would not bring the upstream back.
 */
export function mountRemoteIntelServices(
  remotes: readonly RemoteIntelService[],
  options: { timeoutMs: number },
): DexPlugin {
  return async (app, deps) => {
    await app.register(
      async (scope) => {
        scope.removeAllContentTypeParsers()
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
        for (const { service, origin } of remotes) {
          const proxy = intelProxy({ service: service.name, origin, timeoutMs: options.timeoutMs })
          app.readiness.add(upstreamCheck(service.name, origin))
          await scope.register(async (inner) => {
            inner.addHook('onRoute', (route) => {
              route.handler = proxy as RouteHandlerMethod
              route.validatorCompiler = () => () => true
            })
            await service.routes(inner as unknown as App, deps)
            inner.get(`/${service.name}/health`, { schema: healthRouteSchema(service.name) }, proxy)
          })
        }
      },
      { prefix: INTEL_PREFIX },
    )
  }
}

/** The upstream answers its own `/v1/intel/<name>/health` (its state loaded, its worker alive). */
function upstreamCheck(name: string, origin: string): HealthCheck {
  return {
    name: `intel.${name}`,
    critical: false,
    check: async () => {
      const response = await fetch(`${origin}${INTEL_PREFIX}/${name}/health`, {
        signal: AbortSignal.timeout(2000),
      })
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: string }
        throw new Error(`the ${name} upstream answers ${response.status} ${body.code ?? ''}`.trim())
      }
    },
  }
}

/** The services `upstreams` names, each with the service module its routes come from. */
export function remoteIntelServices(
  upstreams: readonly IntelUpstream[],
  available: readonly IntelService[] = intelServices,
): RemoteIntelService[] {
  return upstreams.flatMap(({ service, origin }) => {
    const module = available.find((candidate) => candidate.name === service)
    return module ? [{ service: module, origin }] : []
  })
}

/** The services `DEX_SERVICES` names, and those `DEX_INTEL_UPSTREAMS` sends to other processes. */
export const intelRoutes: DexPlugin = async (app, deps: DexDeps) => {
  const { services } = selectIntelServices(deps.config.DEX_SERVICES, intelServices)
  await mountIntelServices(services)(app, deps)
  const remotes = remoteIntelServices(deps.config.DEX_INTEL_UPSTREAMS)
  if (remotes.length > 0) {
    await mountRemoteIntelServices(remotes, { timeoutMs: deps.config.DEX_INTEL_TIMEOUT_MS })(app, deps)
  }
}
