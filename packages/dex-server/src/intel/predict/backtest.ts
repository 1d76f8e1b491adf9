import type { ModelInput } from './features.js'
import {
  dieboldMariano,
  type ForecastQuality,
  quality,
  quantile,
  type Scored,
  studentQuantile,
} from './metrics.js'
import type { Forecaster, ModelName } from './models/types.js'
import { type ForecastTrack, forecastAt, walkForward } from './walk-forward.js'

export interface BacktestOptions {
  h: number
  firstOrigin: number
  refitEvery: number
  /** Past errors the prediction intervals and the selection look at (origins; see errorWindow). */
  window: number
  onProgress?: (model: ModelName, done: number, total: number) => Promise<void> | void
}

/** Quantile offsets added to a forecast: [lo95, lo80, hi80, hi95]; NaN while too few errors are known. */
type Offsets = [number, number, number, number]

export interface ModelRun {
  track: ForecastTrack
  /** Interval offsets in force at each origin (refreshed at every refit from the errors known then). */
  offsets: Offsets[]
}

export interface Candidate {
  model: ModelName
  forecasts: number
  theilU: number | null
  /** Diebold–Mariano statistic against naive (negative = better than naive). */
  dm: number
}

export interface Selection {
  model: ModelName
  reason: 'beats_naive' | 'none_beats_naive' | 'insufficient_history'
  candidates: Candidate[]
}

/** Intervals need this many known errors (and five independent ones); below it a forecast has none. */
const MIN_ERRORS = 60
/**
 * One-sided level of the test a challenger must pass against naive: 5% after a Bonferroni
 * correction for three challengers. Selection is conservative on purpose, so noise stays naive.
 */
const ALPHA = 0.05 / 3
/**
 * h-step errors made every minute overlap, so w errors hold only w / h independent ones. Selection
 * waits for, and long horizons look back over, at least 30 non-overlapping errors.
 */
const MIN_INDEPENDENT_ERRORS = 30
const minSelectionErrors = (h: number) => Math.max(120, MIN_INDEPENDENT_ERRORS * h)
export const errorWindow = (window: number, h: number) => Math.max(window, MIN_INDEPENDENT_ERRORS * h)
/** With this many independent errors the empirical quantiles are trusted as the interval. */
const EMPIRICAL_INTERVAL_ERRORS = 100

/** Walk-forward runs every model over the input, with intervals from each model's own past errors. */
export async function runModels(
  input: ModelInput,
  forecasters: readonly Forecaster[],
  options: BacktestOptions,
): Promise<Map<ModelName, ModelRun>> {
  const runs = new Map<ModelName, ModelRun>()
  for (const forecaster of forecasters) {
    const track = await walkForward(input, forecaster, {
      h: options.h,
      firstOrigin: options.firstOrigin,
      refitEvery: options.refitEvery,
      onRefit: (done, total) => options.onProgress?.(forecaster.name, done, total),
    })
    runs.set(forecaster.name, { track, offsets: intervalOffsets(input.y, track, options) })
  }
  return runs
}

function intervalOffsets(y: Float64Array, track: ForecastTrack, options: BacktestOptions): Offsets[] {
  const { h, firstOrigin, refitEvery } = options
  const window = errorWindow(options.window, h)
  const offsets: Offsets[] = []
  let current: Offsets = [Number.NaN, Number.NaN, Number.NaN, Number.NaN]
  for (let t = firstOrigin; t < y.length; t++) {
    if ((t - firstOrigin) % refitEvery === 0) {
      const errors: number[] = []
      // Origins whose outcome (s + h) is known at t.
      for (let s = Math.max(firstOrigin, t - h - window + 1); s <= t - h; s++) {
        errors.push((y[s + h] as number) - forecastAt(track, s))
      }
      if (errors.length >= MIN_ERRORS && errors.length >= 5 * h) {
        current = intervalFromErrors(errors, h)
      }
    }
    offsets.push(current)
  }
  return offsets
}

/**
 * Interval offsets from past errors. With 100+ independent errors, their empirical quantiles. With
 * fewer (long horizons: a day of 1-hour errors is 24 independent ones) the sample quantiles sit
 * inside the true ones and cover too little, so the normal-theory prediction interval for a new
 * draw is used instead: mean ± t(n−1) · sd · √(1 + 1/n), with n the independent count.
 */
export function intervalFromErrors(errors: readonly number[], h: number): Offsets {
  const independent = Math.floor(errors.length / h)
  if (independent >= EMPIRICAL_INTERVAL_ERRORS) {
    const sorted = Float64Array.from(errors).sort()
    return [quantile(sorted, 0.025), quantile(sorted, 0.1), quantile(sorted, 0.9), quantile(sorted, 0.975)]
  }
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length
  const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (errors.length - 1))
  const df = Math.max(1, independent - 1)
  const spread = sd * Math.sqrt(1 + 1 / Math.max(1, independent))
  const half95 = studentQuantile(0.975, df) * spread
  const half80 = studentQuantile(0.9, df) * spread
  return [mean - half95, mean - half80, mean + half80, mean + half95]
}

/**
 * Chooses the model for origin `at` from the errors known then (origins s with s + h ≤ at, the
 * last `window` of them): the lowest squared error among challengers that significantly beat
 * naive, else naive.
 */
export function selectModel(
  y: Float64Array,
  runs: Map<ModelName, ModelRun>,
  at: number,
  options: Pick<BacktestOptions, 'h' | 'window'>,
): Selection {
  const { h } = options
  const window = errorWindow(options.window, h)
  const naiveRun = runs.get('naive')
  if (naiveRun === undefined) throw new Error('selection needs the naive model')
  const from = Math.max(naiveRun.track.firstOrigin, at - h - window + 1)
  const to = at - h
  const loss = (run: ModelRun) => {
    const out: number[] = []
    for (let s = from; s <= to; s++) out.push(((y[s + h] as number) - forecastAt(run.track, s)) ** 2)
    return out
  }
  const naiveLoss = loss(naiveRun)
  const naiveSse = naiveLoss.reduce((a, b) => a + b, 0)
  const candidates: Candidate[] = []
  for (const [model, run] of runs) {
    if (model === 'naive') continue
    const modelLoss = loss(run)
    const sse = modelLoss.reduce((a, b) => a + b, 0)
    candidates.push({
      model,
      forecasts: modelLoss.length,
      theilU: naiveSse > 0 ? Math.sqrt(sse / naiveSse) : null,
      dm: dieboldMariano(modelLoss, naiveLoss, h),
    })
  }
  if (naiveLoss.length < minSelectionErrors(h)) {
    return { model: 'naive', reason: 'insufficient_history', candidates }
  }
  const threshold = -dmCritical(naiveLoss.length, h)
  const winners = candidates
    .filter((c) => c.dm < threshold && c.theilU !== null && c.theilU < 1)
    .sort((a, b) => (a.theilU as number) - (b.theilU as number))
  const winner = winners[0]
  return winner
    ? { model: winner.model, reason: 'beats_naive', candidates }
    : { model: 'naive', reason: 'none_beats_naive', candidates }
}

/**
 * The critical value the Diebold–Mariano statistic must pass, for n overlapping h-step errors:
 * the Harvey–Leybourne–Newbold small-sample factor, and a Student t with one degree of freedom
 * per non-overlapping error (not per error), which is what keeps 1-hour selection honest on a
 * day or two of history.
 */
export function dmCritical(n: number, h: number): number {
  const hln = Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n)
  const df = Math.max(1, Math.floor(n / h) - 1)
  return studentQuantile(1 - ALPHA, df) / hln
}

/** The forecast, outcome and interval of one model at origin t, for scoring. */
export function scoredPoint(y: Float64Array, run: ModelRun, t: number): Scored {
  const { h, firstOrigin } = run.track
  const forecast = forecastAt(run.track, t)
  const [lo95, lo80, hi80, hi95] = run.offsets[t - firstOrigin] as Offsets
  const hasInterval = !Number.isNaN(lo95)
  return {
    forecast,
    outcome: y[t + h] as number,
    origin: y[t] as number,
    interval80: hasInterval ? [forecast + lo80, forecast + hi80] : undefined,
    interval95: hasInterval ? [forecast + lo95, forecast + hi95] : undefined,
  }
}

export interface OnlineSelection {
  /** First origin at which the selection had enough history to compare models. */
  from: number
  /** Quality of each model and of the selected forecasts, over the same origins. */
  perModel: Map<ModelName, ForecastQuality>
  selected: ForecastQuality
  /** How often each model was the one selected. */
  chosen: Map<ModelName, number>
}

/**
 * The honest score of "select, then forecast": at every refit origin the model is chosen from the
 * errors known then, and its next forecasts are scored against outcomes it never saw. Every model
 * is scored over the same origins, so the rows compare.
 */
export function onlineSelection(
  y: Float64Array,
  runs: Map<ModelName, ModelRun>,
  options: Pick<BacktestOptions, 'h' | 'window' | 'refitEvery' | 'firstOrigin'>,
): OnlineSelection | null {
  const { h, refitEvery, firstOrigin } = options
  const from = firstOrigin + h + minSelectionErrors(h)
  const last = y.length - 1 - h
  if (from > last) return null
  const perModelPoints = new Map<ModelName, Scored[]>([...runs.keys()].map((m) => [m, []]))
  const selectedPoints: Scored[] = []
  const chosen = new Map<ModelName, number>()
  let selection: Selection | null = null
  for (let t = from; t <= last; t++) {
    if (selection === null || (t - from) % refitEvery === 0) {
      selection = selectModel(y, runs, t, options)
      chosen.set(selection.model, (chosen.get(selection.model) ?? 0) + 1)
    }
    for (const [model, run] of runs) perModelPoints.get(model)?.push(scoredPoint(y, run, t))
    selectedPoints.push(scoredPoint(y, runs.get(selection.model) as ModelRun, t))
  }
  const perModel = new Map([...perModelPoints].map(([m, points]) => [m, quality(points, h)]))
  return { from, perModel, selected: quality(selectedPoints, h), chosen }
}
