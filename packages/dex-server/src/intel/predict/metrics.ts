/** Forecast quality measures on log prices. All of them compare forecasts with outcomes only. */

export interface Scored {
  /** Forecast and outcome log prices and the log price at the origin. */
  forecast: number
  outcome: number
  origin: number
  interval80?: [number, number] | undefined
  interval95?: [number, number] | undefined
}

export interface ForecastQuality {
  forecasts: number
  /** Mean absolute error in price units (token1 per token0). */
  mae: number
  /** Root mean squared error of the log price, and the naive forecast's on the same origins. */
  rmse: number
  naiveRmse: number
  /** RMSE over the naive forecast's RMSE on the same origins: < 1 beats the random walk. */
  theilU: number | null
  /** Share of origins where the forecast got the sign of the move right; null when it never calls one. */
  directionalAccuracy: { value: number; ci95: [number, number]; calls: number; effectiveCalls: number } | null
  coverage80: number | null
  coverage95: number | null
}

/**
 * h-step forecasts made every minute overlap: consecutive errors share h-1 minutes of outcome.
 * The directional interval therefore counts calls / h as the effective sample (at least one).
 */
export function quality(points: readonly Scored[], h: number): ForecastQuality {
  let absolute = 0
  let squared = 0
  let naiveSquared = 0
  let hits = 0
  let calls = 0
  let in80 = 0
  let with80 = 0
  let in95 = 0
  let with95 = 0
  for (const p of points) {
    absolute += Math.abs(Math.exp(p.forecast) - Math.exp(p.outcome))
    squared += (p.forecast - p.outcome) ** 2
    naiveSquared += (p.origin - p.outcome) ** 2
    const called = Math.sign(p.forecast - p.origin)
    const moved = Math.sign(p.outcome - p.origin)
    if (called !== 0 && moved !== 0) {
      calls++
      if (called === moved) hits++
    }
    if (p.interval80) {
      with80++
      if (p.outcome >= p.interval80[0] && p.outcome <= p.interval80[1]) in80++
    }
    if (p.interval95) {
      with95++
      if (p.outcome >= p.interval95[0] && p.outcome <= p.interval95[1]) in95++
    }
  }
  const n = points.length
  const effectiveCalls = Math.max(1, Math.floor(calls / h))
  return {
    forecasts: n,
    mae: n > 0 ? absolute / n : 0,
    rmse: n > 0 ? Math.sqrt(squared / n) : 0,
    naiveRmse: n > 0 ? Math.sqrt(naiveSquared / n) : 0,
    theilU: naiveSquared > 0 ? Math.sqrt(squared / naiveSquared) : null,
    directionalAccuracy:
      calls > 0
        ? {
            value: hits / calls,
            ci95: wilson(hits / calls, effectiveCalls),
            calls,
            effectiveCalls,
          }
        : null,
    coverage80: with80 > 0 ? in80 / with80 : null,
    coverage95: with95 > 0 ? in95 / with95 : null,
  }
}

/** Wilson score interval for a proportion at 95%. */
export function wilson(p: number, n: number, z = 1.959964): [number, number] {
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n)
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

/**
 * Diebold–Mariano statistic for "model A has lower squared error than model B": the mean loss
 * difference over its standard error, with a Newey–West (Bartlett) long-run variance over h-1 lags
 * because h-step errors overlap. Negative = A better; about N(0,1) under equal accuracy.
 */
export function dieboldMariano(lossA: readonly number[], lossB: readonly number[], h: number): number {
  const n = lossA.length
  if (n < 2) return 0
  const d = lossA.map((a, i) => a - (lossB[i] as number))
  const mean = d.reduce((s, v) => s + v, 0) / n
  const gamma = (lag: number) => {
    let s = 0
    for (let i = lag; i < n; i++) s += ((d[i] as number) - mean) * ((d[i - lag] as number) - mean)
    return s / n
  }
  let variance = gamma(0)
  for (let lag = 1; lag < Math.min(h, n); lag++) variance += 2 * (1 - lag / h) * gamma(lag)
  if (!(variance > 0)) return mean < 0 ? Number.NEGATIVE_INFINITY : mean > 0 ? Number.POSITIVE_INFINITY : 0
  return mean / Math.sqrt(variance / n)
}

/** The q-quantile of sorted values (linear interpolation). */
export function quantile(sorted: Float64Array | readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const lo = Math.floor(position)
  const hi = Math.ceil(position)
  const a = sorted[lo] as number
  return a + ((sorted[hi] as number) - a) * (position - lo)
}

/** Upper quantile of Student's t (Cornish–Fisher expansion around the normal; fine for df ≥ 5). */
export function studentQuantile(p: number, df: number): number {
  const z = normalQuantile(p)
  const z3 = z ** 3
  const z5 = z ** 5
  const z7 = z ** 7
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  )
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0)
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return poly(c, q) / (poly(d, q) * q + 1)
  }
  if (p > 1 - low) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (poly(a, r) * q) / (poly(b, r) * r + 1)
}
