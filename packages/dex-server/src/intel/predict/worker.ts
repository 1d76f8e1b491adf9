import type { IntelDb } from '../tables.js'
import { buildFeatures } from './features.js'
import type { PredictMetrics } from './metrics-registry.js'
import { type PredictionView, predict } from './prediction.js'
import { HORIZON_NAMES, type Horizon, loadPoolSeries } from './series.js'
import { type TrainedModel, trainHorizon } from './trainer.js'

export interface PredictWorkerOptions {
  db: IntelDb
  /** Addresses of the pools to forecast (read every pass, so new pools join in). */
  pools: () => string[]
  logger: { info(details: object, message: string): void; error(details: object, message: string): void }
  metrics: PredictMetrics
  /** Minutes of history loaded per pool. */
  lookbackMinutes: number
  /** Retrain a pool and horizon when its model is older than this. */
  retrainMs: number
  /** Refresh forecasts (and retrain what is due) this often. */
  refreshMs: number
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Background work of the prediction service: every `refreshMs` it loads each pool's recent
 * history, retrains the horizons whose model is due (walk-forward over every candidate, yielding to
 * the event loop between fits so requests keep flowing), and recomputes the forecasts the routes
 * serve. The request path only ever reads `view()`.
 */
export class PredictWorker {
  private readonly trained = new Map<string, TrainedModel>()
  private readonly views = new Map<string, PredictionView>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private stopping = false
  lastPassAt: Date | null = null
  lastError: Error | null = null

  constructor(private readonly options: PredictWorkerOptions) {}

  view(pool: string, horizon: Horizon): PredictionView | undefined {
    return this.views.get(`${pool.toLowerCase()}|${horizon}`)
  }

  start(): void {
    this.stopping = false
    const loop = () => {
      this.running = this.pass()
        .catch((error) => {
          this.lastError = error as Error
          this.options.logger.error({ err: error }, 'predict: pass failed')
        })
        .finally(() => {
          this.running = null
          if (!this.stopping) this.timer = setTimeout(loop, this.options.refreshMs)
        })
    }
    loop()
  }

  async stop(): Promise<void> {
    this.stopping = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }

  /** One pass over every pool: retrain what is due, then forecast from the newest minute. */
  async pass(): Promise<void> {
    const { metrics, logger } = this.options
    const pools = this.options.pools()
    const due = (pool: string, horizon: Horizon) => {
      const model = this.trained.get(`${pool}|${horizon}`)
      return model === undefined || Date.now() - model.trainedAt.getTime() >= this.options.retrainMs
    }
    const jobs = pools.flatMap((pool) =>
      HORIZON_NAMES.filter((h) => due(pool, h)).map((h) => [pool, h] as const),
    )
    if (jobs.length > 0) {
      metrics.progress.set(0)
      logger.info({ pools: pools.length, trainings: jobs.length }, 'predict: retraining started')
    }
    let done = 0
    for (const pool of pools) {
      if (this.stopping) return
      const series = await loadPoolSeries(this.options.db, pool, { minutes: this.options.lookbackMinutes })
      if (series === null) continue
      const input = buildFeatures(series)
      for (const horizon of HORIZON_NAMES) {
        const key = `${pool}|${horizon}`
        if (due(pool, horizon)) {
          const started = performance.now()
          try {
            const model = await trainHorizon(series, horizon, { input, onProgress: yieldToEventLoop })
            this.trained.set(key, model)
            metrics.trainings.inc({ result: 'ok' })
            logger.info(
              {
                pool,
                horizon,
                model: model.model,
                reason: model.selection.reason,
                theilU: model.backtest?.theilU ?? null,
                minutes: model.minutes,
                progress: `${++done}/${jobs.length}`,
              },
              'predict: trained',
            )
          } catch (error) {
            metrics.trainings.inc({ result: 'failed' })
            logger.error(
              { err: error, pool, horizon, progress: `${++done}/${jobs.length}` },
              'predict: training failed',
            )
          }
          metrics.trainingSeconds.observe((performance.now() - started) / 1000)
          metrics.progress.set(done / jobs.length)
        }
        const model = this.trained.get(key)
        if (model) this.views.set(key, predict(model, series, input))
      }
    }
    if (jobs.length > 0) {
      metrics.progress.set(1)
      metrics.lastTrained.setToCurrentTime()
      this.countModels()
      logger.info({ trainings: jobs.length }, 'predict: retraining finished')
    }
    this.lastPassAt = new Date()
    this.lastError = null
  }

  private countModels(): void {
    this.options.metrics.selected.reset()
    for (const model of this.trained.values()) {
      this.options.metrics.selected.inc({ horizon: model.horizon, model: model.model })
    }
  }
}
