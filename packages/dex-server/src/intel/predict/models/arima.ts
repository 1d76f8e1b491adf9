import type { ModelInput } from '../features.js'
import { leastSquares, solve } from '../linear-algebra.js'
import type { FittedModel, Forecaster } from './types.js'

/** Fit on at most this many recent minutes: a day, so the model follows the pool's current regime. */
const WINDOW = 1440
/** Order of the long autoregression whose residuals stand in for the innovations (Hannan–Rissanen). */
const LONG_AR = 8
const MAX_P = 3
/** 5% critical value of the augmented Dickey–Fuller t statistic with a constant. */
const ADF_CRITICAL = -2.86

interface Spec {
  p: number
  d: 0 | 1
  q: 0 | 1
  intercept: boolean
  coefficients: Float64Array
}

/**
 * ARIMA(p,d,q) with p ≤ 3 and q ≤ 1, fitted by Hannan–Rissanen regressions (a long AR gives the
 * innovations, then one least-squares fit on lags and lagged innovations). d comes from an
 * augmented Dickey–Fuller test on the log price (unit root not rejected → difference once); p and
 * q minimise AIC on one common sample. Forecasts recurse h steps with future innovations at zero.
 */
export const arima: Forecaster = {
  name: 'arima',
  fit(input: ModelInput, h: number): FittedModel {
    const y = input.y.subarray(Math.max(0, input.y.length - WINDOW))
    const d: 0 | 1 = adfStatistic(y) < ADF_CRITICAL ? 0 : 1
    const z = d === 1 ? differences(y) : y
    const spec = chooseOrder(z, d)
    return {
      describe: () => `ARIMA(${spec.p},${spec.d},${spec.q})`,
      forecast: (at) => forecastFrom(at.y, spec, h),
    }
  },
}

function differences(y: Float64Array): Float64Array {
  const out = new Float64Array(Math.max(0, y.length - 1))
  for (let i = 1; i < y.length; i++) out[i - 1] = (y[i] as number) - (y[i - 1] as number)
  return out
}

/** t statistic of ρ in Δy_t = a + ρ·y_{t-1} + γ·Δy_{t-1} + e. */
export function adfStatistic(y: Float64Array): number {
  const n = y.length - 2
  if (n < 20) return 0
  const k = 3
  const design = new Float64Array(n * k)
  const target = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const t = i + 2
    design[i * k] = 1
    design[i * k + 1] = y[t - 1] as number
    design[i * k + 2] = (y[t - 1] as number) - (y[t - 2] as number)
    target[i] = (y[t] as number) - (y[t - 1] as number)
  }
  const { beta, rss, xtx } = leastSquares(design, target, k)
  const sigma2 = rss / (n - k)
  const unit = new Float64Array(k)
  unit[1] = 1
  const varianceRho = sigma2 * (solve(xtx, unit, k)[1] as number)
  return varianceRho > 0 ? (beta[1] as number) / Math.sqrt(varianceRho) : 0
}

/** Residuals of a long autoregression (zero before it has enough lags). */
function longArResiduals(z: Float64Array, intercept: boolean): Float64Array {
  const e = new Float64Array(z.length)
  const k = LONG_AR + (intercept ? 1 : 0)
  const n = z.length - LONG_AR
  if (n <= k * 3) return e
  const design = new Float64Array(n * k)
  const target = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const t = i + LONG_AR
    let c = 0
    if (intercept) design[i * k + c++] = 1
    for (let lag = 1; lag <= LONG_AR; lag++) design[i * k + c++] = z[t - lag] as number
    target[i] = z[t] as number
  }
  const { beta } = leastSquares(design, target, k)
  for (let i = 0; i < n; i++) {
    let fit = 0
    for (let c = 0; c < k; c++) fit += (design[i * k + c] as number) * (beta[c] as number)
    e[i + LONG_AR] = (target[i] as number) - fit
  }
  return e
}

function chooseOrder(z: Float64Array, d: 0 | 1): Spec {
  // Levels keep an intercept (the mean they revert to); differences of log prices get none.
  const intercept = d === 0
  const e = longArResiduals(z, intercept)
  const first = LONG_AR + MAX_P + 1
  const n = z.length - first
  // ARIMA(0,1,0), the random walk, when no admissible fit exists (forecast: the last price).
  let best: Spec = { p: 0, d: 1, q: 0, intercept: false, coefficients: new Float64Array(0) }
  if (n < 30) return (d === 0 ? fitSpec(z, e, 1, 0, d, first)?.spec : undefined) ?? best
  let bestAic = Number.POSITIVE_INFINITY
  for (let p = d === 0 ? 1 : 0; p <= MAX_P; p++) {
    for (const q of [0, 1] as const) {
      const fitted = fitSpec(z, e, p, q, d, first)
      if (fitted === null) continue
      const aic = n * Math.log(Math.max(fitted.rss, 1e-300) / n) + 2 * fitted.spec.coefficients.length
      if (aic < bestAic) {
        bestAic = aic
        best = fitted.spec
      }
    }
  }
  return best
}

function fitSpec(z: Float64Array, e: Float64Array, p: number, q: 0 | 1, d: 0 | 1, first: number) {
  const intercept = d === 0
  const k = (intercept ? 1 : 0) + p + q
  if (k === 0)
    return { spec: { p, d, q, intercept, coefficients: new Float64Array(0) }, rss: sumSquares(z, first) }
  const n = z.length - first
  if (n <= k) return null
  const design = new Float64Array(n * k)
  const target = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const t = i + first
    let c = 0
    if (intercept) design[i * k + c++] = 1
    for (let lag = 1; lag <= p; lag++) design[i * k + c++] = z[t - lag] as number
    if (q === 1) design[i * k + c++] = e[t - 1] as number
    target[i] = z[t] as number
  }
  const { beta, rss } = leastSquares(design, target, k)
  const spec = { p, d, q, intercept, coefficients: beta }
  return admissible(spec) ? { spec, rss } : null
}

/**
 * Only stationary and invertible fits are kept: Σ|φ| < 1 (sufficient for stationarity) and
 * |θ| < 0.98. An explosive AR or a non-invertible MA makes the innovation filter and the h-step
 * recursion diverge, which a walk-forward run once showed as forecasts of 10^23.
 */
function admissible(spec: Spec): boolean {
  const start = spec.intercept ? 1 : 0
  let arSum = 0
  for (let i = 0; i < spec.p; i++) arSum += Math.abs(spec.coefficients[start + i] as number)
  const theta = spec.q === 1 ? Math.abs(spec.coefficients[start + spec.p] as number) : 0
  return arSum < 1 && theta < 0.98
}

function sumSquares(z: Float64Array, first: number): number {
  let s = 0
  for (let t = first; t < z.length; t++) s += (z[t] as number) ** 2
  return s
}

/** Filters the innovations over the recent past, then recurses h steps ahead. */
function forecastFrom(yKnown: Float64Array, spec: Spec, h: number): number {
  const last = yKnown[yKnown.length - 1] as number
  const recent = yKnown.subarray(Math.max(0, yKnown.length - 240))
  const z = Array.from(spec.d === 1 ? differences(recent) : recent)
  const coef = spec.coefficients
  const predict = (values: number[], t: number, previousError: number) => {
    let c = 0
    let fit = spec.intercept ? (coef[c++] as number) : 0
    for (let lag = 1; lag <= spec.p; lag++) fit += (coef[c++] as number) * (values[t - lag] ?? 0)
    if (spec.q === 1) fit += (coef[c++] as number) * previousError
    return fit
  }
  let error = 0
  for (let t = spec.p; t < z.length; t++) error = (z[t] as number) - predict(z, t, error)
  let level = last
  for (let step = 0; step < h; step++) {
    const next = predict(z, z.length, error)
    error = 0
    z.push(next)
    level = spec.d === 1 ? level + next : next
  }
  return level
}
