import {
  type Candidate,
  type ModelRun,
  runModels,
  type Selection,
  scoredPoint,
  selectModel,
} from './backtest.js'
import { buildFeatures, type ModelInput } from './features.js'
import { type ForecastQuality, quality } from './metrics.js'
import { FORECASTERS } from './models/index.js'
import type { FittedModel, ModelName } from './models/types.js'
import { HORIZONS, type Horizon, type PoolSeries, seriesLength } from './series.js'
import { TRAINING } from './training.js'

/** What the request path serves for one pool and horizon until the next training. */
export interface TrainedModel {
  pool: string
  horizon: Horizon
  model: ModelName
  description: string
  fitted: FittedModel
  /** Offsets of the 95% and 80% intervals around the forecast (log price): [lo95, lo80, hi80, hi95]. */
  offsets: [number, number, number, number] | null
  selection: Selection
  /** The served model's walk-forward record over the selection window; null before any exists. */
  backtest: ForecastQuality | null
  trainedAt: Date
  /** Minutes of history the training saw. */
  minutes: number
}

/**
 * Trains one pool and horizon: walk-forward runs of every candidate over the loaded history,
 * selection from their known errors at the newest minute, and the chosen model's latest fit. With
 * too little history for a walk-forward, naive is served and says so.
 */
export async function trainHorizon(
  series: PoolSeries,
  horizon: Horizon,
  options: {
    input?: ModelInput
    onProgress?: (model: ModelName, done: number, total: number) => Promise<void> | void
  },
): Promise<TrainedModel> {
  const h = HORIZONS[horizon]
  const input = options.input ?? buildFeatures(series)
  const n = seriesLength(series)
  const trainedAt = new Date()
  const settings = { ...TRAINING, h, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }
  if (n <= TRAINING.firstOrigin + h) {
    const naive = FORECASTERS[0]
    if (naive === undefined) throw new Error('no naive forecaster')
    const fitted = naive.fit(input, h)
    return {
      pool: series.pool,
      horizon,
      model: 'naive',
      description: fitted.describe(),
      fitted,
      offsets: null,
      selection: { model: 'naive', reason: 'insufficient_history', candidates: [] },
      backtest: null,
      trainedAt,
      minutes: n,
    }
  }
  const runs = await runModels(input, FORECASTERS, settings)
  const selection = selectModel(input.y, runs, n - 1, settings)
  const run = runs.get(selection.model) as ModelRun
  return {
    pool: series.pool,
    horizon,
    model: selection.model,
    description: run.track.lastFit.describe(),
    fitted: run.track.lastFit,
    offsets: latestOffsets(run),
    selection,
    backtest: record(input.y, run, h, selection.candidates),
    trainedAt,
    minutes: n,
  }
}

function latestOffsets(run: ModelRun): TrainedModel['offsets'] {
  const last = run.offsets.at(-1)
  return last === undefined || Number.isNaN(last[0]) ? null : last
}

/** Quality of a run over the origins whose outcome is known (as many as the candidates were judged on). */
function record(y: Float64Array, run: ModelRun, h: number, candidates: Candidate[]): ForecastQuality | null {
  const known = y.length - 1 - h
  const span = candidates[0]?.forecasts ?? known - run.track.firstOrigin + 1
  const from = Math.max(run.track.firstOrigin, known - span + 1)
  if (from > known) return null
  const points = []
  for (let t = from; t <= known; t++) points.push(scoredPoint(y, run, t))
  return quality(points, h)
}
