import type { ModelInput } from '../features.js'
import type { FittedModel, Forecaster } from './types.js'

/** Fit on, and filter over, at most this many recent minutes. */
const WINDOW = 1440
const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1]
const BETAS = [0, 0.02, 0.1]
const PHIS = [0.8, 0.9, 0.98]

interface Params {
  alpha: number
  beta: number
  phi: number
}

/**
 * Exponential smoothing with a damped additive trend (Holt–Gardner) on the log price. The smoothing
 * weights come from a grid search that minimises the h-step-ahead squared error over the fitting
 * window, so the 1-hour model is tuned for 1-hour forecasts. α < 1 turns it into a forecast of a
 * recent mean, which is what a mean-reverting price needs; β = 0 drops the trend.
 */
export const ets: Forecaster = {
  name: 'ets',
  fit(input: ModelInput, h: number): FittedModel {
    const y = input.y.subarray(Math.max(0, input.y.length - WINDOW))
    let best: Params = { alpha: 1, beta: 0, phi: 0.9 }
    let bestSse = Number.POSITIVE_INFINITY
    for (const alpha of ALPHAS) {
      for (const beta of BETAS) {
        for (const phi of beta === 0 ? [0.9] : PHIS) {
          const sse = hStepSse(y, { alpha, beta, phi }, h)
          if (sse < bestSse) {
            bestSse = sse
            best = { alpha, beta, phi }
          }
        }
      }
    }
    const params = best
    return {
      describe: () => `Holt damped trend α=${params.alpha} β=${params.beta} φ=${params.phi}`,
      forecast: (at) => {
        const state = filter(at.y.subarray(Math.max(0, at.y.length - WINDOW)), params)
        return state.level + dampedSum(params.phi, h) * state.trend
      },
    }
  },
}

const dampedSum = (phi: number, h: number) => (phi === 1 ? h : (phi * (1 - phi ** h)) / (1 - phi))

function filter(y: Float64Array, { alpha, beta, phi }: Params) {
  let level = y[0] as number
  let trend = 0
  for (let t = 1; t < y.length; t++) {
    const previous = level
    level = alpha * (y[t] as number) + (1 - alpha) * (previous + phi * trend)
    trend = beta * (level - previous) + (1 - beta) * phi * trend
  }
  return { level, trend }
}

/** Squared error of the h-step forecasts made at every point of the window (after a short burn-in). */
function hStepSse(y: Float64Array, { alpha, beta, phi }: Params, h: number): number {
  const damp = dampedSum(phi, h)
  let level = y[0] as number
  let trend = 0
  let sse = 0
  for (let t = 1; t < y.length - h; t++) {
    const previous = level
    level = alpha * (y[t] as number) + (1 - alpha) * (previous + phi * trend)
    trend = beta * (level - previous) + (1 - beta) * phi * trend
    if (t >= 10) sse += ((y[t + h] as number) - (level + damp * trend)) ** 2
  }
  return sse
}
