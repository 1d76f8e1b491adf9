import type { DexDeps } from '../../app.js'
import type { IntelService } from '../service.js'
import { createPredictMetrics } from './metrics-registry.js'
import { predictRoutes } from './routes.js'
import { PredictWorker } from './worker.js'

/**
 * The price-prediction service: a worker that retrains per pool and horizon on a schedule and
 * keeps the latest forecasts in memory, and a route that serves them. One worker per deps, so a
 * test app and the server each get their own.
 */
export function createPredictService(): IntelService & { worker: (deps: DexDeps) => PredictWorker } {
  const metrics = createPredictMetrics()
  const workers = new WeakMap<DexDeps, PredictWorker>()
  const worker = (deps: DexDeps) => {
    let existing = workers.get(deps)
    if (existing === undefined) {
      existing = new PredictWorker({
        db: deps.db.kysely,
        pools: () => deps.registry.pools().map((p) => p.address),
        logger: deps.logger,
        metrics,
        lookbackMinutes: deps.config.PREDICT_LOOKBACK_MINUTES,
        retrainMs: deps.config.PREDICT_RETRAIN_MINUTES * 60_000,
        refreshMs: deps.config.PREDICT_REFRESH_MS,
      })
      workers.set(deps, existing)
    }
    return existing
  }
  return {
    name: 'predict',
    worker,
    routes: async (app, deps) => predictRoutes(worker(deps))(app, deps),
    metrics: (registry) => metrics.register(registry),
    health: (deps) => ({
      name: 'predict',
      check: async () => {
        const w = worker(deps)
        // A pass runs every PREDICT_REFRESH_MS; three missed passes (or a failing one) is down.
        const stale = 3 * deps.config.PREDICT_REFRESH_MS + 60_000
        if (w.lastError) throw new Error(`last pass failed: ${w.lastError.message}`)
        if (w.lastPassAt && Date.now() - w.lastPassAt.getTime() > stale) {
          throw new Error(`no pass since ${w.lastPassAt.toISOString()}`)
        }
      },
    }),
    start: async (deps) => {
      const w = worker(deps)
      w.start()
      return { stop: () => w.stop() }
    },
  }
}

export const predictService = createPredictService()
