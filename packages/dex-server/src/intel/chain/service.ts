import type { IntelService } from '../service.js'
import { chainRoutes } from './routes.js'
import { chainActivity } from './runtime.js'

/** Blockchain intelligence: contract analysis and honeypots, MEV, clusters, transaction graph. */
export const chainService: IntelService = {
  name: 'chain',
  routes: chainRoutes,
  health: (deps) => ({
    name: 'chain',
    check: async () => {
      const activity = chainActivity(deps)
      if (!activity.alive) throw new Error('the chain scanner is not running')
      if (activity.lastError) throw new Error(`the chain scanner fails: ${activity.lastError}`)
    },
  }),
  start: async (deps) => {
    const activity = chainActivity(deps)
    await activity.start()
    return { stop: () => activity.stop() }
  },
}
