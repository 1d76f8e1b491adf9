import { knownAt, type ModelInput } from './features.js'
import type { FittedModel, Forecaster } from './models/types.js'

export interface WalkForwardOptions {
  /** Steps ahead (minutes). */
  h: number
  /** First origin: the models see at least this many minutes before their first forecast. */
  firstOrigin: number
  /** Refit the model every this many origins (between refits the last fit forecasts from newer data). */
  refitEvery: number
  /** Called after each refit, so a long run can yield to the event loop and report progress. */
  onRefit?: (done: number, total: number) => Promise<void> | void
}

/** One model's forecasts at every origin from `firstOrigin` to the last minute of the input. */
export interface ForecastTrack {
  model: Forecaster['name']
  h: number
  firstOrigin: number
  /** Forecast log price for origin firstOrigin + i. */
  forecasts: Float64Array
  /** The fit that made the newest forecasts. */
  lastFit: FittedModel
}

/**
 * Walk-forward forecasting: at every origin t the model is fitted (every `refitEvery` origins) and
 * asked for a forecast through `knownAt(input, t)`, a view that ends at t. Nothing after t is
 * reachable from inside the model, whatever it does.
 */
export async function walkForward(
  input: ModelInput,
  forecaster: Forecaster,
  options: WalkForwardOptions,
): Promise<ForecastTrack> {
  const n = input.y.length
  const { h, firstOrigin, refitEvery } = options
  if (firstOrigin >= n) throw new Error(`walk-forward needs more than ${firstOrigin} minutes, has ${n}`)
  const forecasts = new Float64Array(n - firstOrigin)
  const total = Math.ceil((n - firstOrigin) / refitEvery)
  let fitted: FittedModel | null = null
  for (let t = firstOrigin; t < n; t++) {
    const view = knownAt(input, t)
    if ((t - firstOrigin) % refitEvery === 0) {
      fitted = forecaster.fit(view, h)
      await options.onRefit?.((t - firstOrigin) / refitEvery + 1, total)
    }
    forecasts[t - firstOrigin] = (fitted as FittedModel).forecast(view)
  }
  return { model: forecaster.name, h, firstOrigin, forecasts, lastFit: fitted as FittedModel }
}

export const forecastAt = (track: ForecastTrack, t: number) =>
  track.forecasts[t - track.firstOrigin] as number
