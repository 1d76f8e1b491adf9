import type { ModelInput } from '../features.js'

export type ModelName = 'naive' | 'arima' | 'ets' | 'gbm'
export const MODEL_NAMES: ModelName[] = ['naive', 'arima', 'ets', 'gbm']

/** A model fitted on the data known at one origin, ready to forecast from any later origin. */
export interface FittedModel {
  /** What was fitted, for humans: "ARIMA(1,0,0)", "Holt damped α=0.3 β=0 φ=0.9". */
  describe(): string
  /** The log price `h` steps after the last element of `input` (input ends at the origin). */
  forecast(input: ModelInput): number
}

export interface Forecaster {
  readonly name: ModelName
  /** Fits on `input` (data up to the origin, nothing after) for forecasts `h` steps ahead. */
  fit(input: ModelInput, h: number): FittedModel
}
