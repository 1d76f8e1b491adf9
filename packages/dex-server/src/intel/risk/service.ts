import type { IntelService } from '../service.js'
import { riskRoutes } from './routes.js'
import { riskRuntime } from './runtime.js'

/** Fraud and risk scoring: wash trading, clusters, abnormal volume, flagged contracts. */
export const riskService: IntelService = {
  name: 'risk',
  routes: riskRoutes,
  health: (deps) => ({
    name: 'risk',
    check: async () => {
      const runtime = riskRuntime(deps)
      if (!runtime.running) throw new Error('the risk worker is not running')
      if (runtime.lastError) throw new Error(`the risk worker fails: ${runtime.lastError}`)
    },
  }),
  start: async (deps) => {
    const runtime = riskRuntime(deps)
    await runtime.start()
    return { stop: () => runtime.stop() }
  },
}
