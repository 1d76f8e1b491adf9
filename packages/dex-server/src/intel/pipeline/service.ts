import type { IntelService } from '../service.js'
import { registerPipelineMetrics } from './metrics.js'
import { pipelineRoutes } from './routes.js'
import { pipelineRuntime } from './runtime.js'

/** Data processing: consumes the indexer's events into validated, de-duplicated aggregates. */
export const pipelineService: IntelService = {
  name: 'pipeline',
  routes: pipelineRoutes,
  metrics: (registry, deps) => registerPipelineMetrics(registry, pipelineRuntime(deps)),
  health: (deps) => ({
    name: 'pipeline',
    check: async () => {
      if (!pipelineRuntime(deps).running) throw new Error('the pipeline consumer is not running')
    },
  }),
  start: async (deps) => {
    const runtime = pipelineRuntime(deps)
    await runtime.start()
    return { stop: () => runtime.stop() }
  },
}
