import type { HealthCheck } from '@platform/service-kit/health'
import type { Registry } from 'prom-client'
import type { DexDeps, DexPlugin } from '../app.js'

/**
 * The five intelligence services behind `/v1/intel/...`. Each is one folder under `intel/`
 * exporting an `IntelService`; `DEX_SERVICES` chooses which of them a process runs, so production
 * can run and scale them separately behind the gateway routes.
 */
export const INTEL_SERVICE_NAMES = ['pipeline', 'risk', 'chain', 'predict', 'language'] as const

export type IntelServiceName = (typeof INTEL_SERVICE_NAMES)[number]

export interface IntelService {
  name: IntelServiceName
  /**
   * Routes, registered under the `/v1/intel` prefix (e.g. `/risk/:address`, `/mev`, `/predictions/:pool`).
   * A gateway that proxies the service to another process registers the same routes (so its OpenAPI
   * document lists them) with the proxy as their handler: setting up routes must start no work.
   */
  routes: DexPlugin
  /** The service's metrics on the app's registry; only in a process that runs it (a gateway proxying it has none). */
  metrics?: (registry: Registry, deps: DexDeps) => void
  /** Readiness of this service alone (its state loaded, its worker alive), also at `/v1/intel/<name>/health`. */
  health: (deps: DexDeps) => HealthCheck
  /** Background work (consumers, training, graph building): started after the indexer, stopped before it. */
  start?: (deps: DexDeps) => Promise<{ stop: () => Promise<void> }>
}
