import type { PoolSeries } from './series.js'

/**
 * What a model sees at an origin t: the log prices and feature rows of minutes 0..t and nothing
 * after. `knownAt` hands out views that end at t, so a model cannot read the future even by mistake.
 */
export interface ModelInput {
  /** Log prices, minutes 0..t; the origin is the last element. */
  y: Float64Array
  /** Feature rows 0..t, row-major, FEATURE_NAMES.length values per row. */
  x: Float64Array
}

export const FEATURE_NAMES = [
  'return_1m',
  'return_5m',
  'return_15m',
  'return_60m',
  'deviation_30m_mean',
  'deviation_240m_mean',
  'order_flow_imbalance_1m',
  'order_flow_imbalance_15m',
  'turnover_15m',
  'liquidity_change_60m',
  'volatility_60m',
] as const
export const FEATURE_COUNT = FEATURE_NAMES.length

export function knownAt(input: ModelInput, t: number): ModelInput {
  return { y: input.y.subarray(0, t + 1), x: input.x.subarray(0, (t + 1) * FEATURE_COUNT) }
}

/**
 * Features of every minute from indexed data: returns, distance from moving means, order-flow
 * imbalance (token0 bought minus sold, over what traded), turnover against reserves, liquidity
 * change and realised volatility. Row t reads minutes ≤ t only (trailing windows).
 */
export function buildFeatures(series: PoolSeries): ModelInput {
  const y = series.logPrice
  const n = y.length
  const x = new Float64Array(n * FEATURE_COUNT)
  const prefix = new Float64Array(n + 1) // running sums for the moving means
  const prefixSq = new Float64Array(n + 1) // running sums of squared 1-minute returns
  const flowNet = new Float64Array(n + 1)
  const flowGross = new Float64Array(n + 1)
  for (let t = 0; t < n; t++) {
    const r = t > 0 ? (y[t] as number) - (y[t - 1] as number) : 0
    prefix[t + 1] = (prefix[t] as number) + (y[t] as number)
    prefixSq[t + 1] = (prefixSq[t] as number) + r * r
    const buy = series.buy0[t] as number
    const sell = series.sell0[t] as number
    flowNet[t + 1] = (flowNet[t] as number) + buy - sell
    flowGross[t + 1] = (flowGross[t] as number) + buy + sell
  }
  const back = (t: number, k: number) => Math.max(0, t - k)
  const windowMean = (sums: Float64Array, t: number, k: number) => {
    const from = Math.max(0, t - k + 1)
    return ((sums[t + 1] as number) - (sums[from] as number)) / (t + 1 - from)
  }
  const windowSum = (sums: Float64Array, t: number, k: number) =>
    (sums[t + 1] as number) - (sums[Math.max(0, t - k + 1)] as number)
  for (let t = 0; t < n; t++) {
    const row = t * FEATURE_COUNT
    const yt = y[t] as number
    const gross1 = (series.buy0[t] as number) + (series.sell0[t] as number)
    const gross15 = windowSum(flowGross, t, 15)
    const reserve = series.reserve0[t] as number
    const reserveBefore = series.reserve0[back(t, 60)] as number
    x[row] = yt - (y[back(t, 1)] as number)
    x[row + 1] = yt - (y[back(t, 5)] as number)
    x[row + 2] = yt - (y[back(t, 15)] as number)
    x[row + 3] = yt - (y[back(t, 60)] as number)
    x[row + 4] = yt - windowMean(prefix, t, 30)
    x[row + 5] = yt - windowMean(prefix, t, 240)
    x[row + 6] = gross1 > 0 ? ((series.buy0[t] as number) - (series.sell0[t] as number)) / gross1 : 0
    x[row + 7] = gross15 > 0 ? windowSum(flowNet, t, 15) / gross15 : 0
    x[row + 8] = reserve > 0 ? gross15 / reserve : 0
    x[row + 9] = reserve > 0 && reserveBefore > 0 ? Math.log(reserve / reserveBefore) : 0
    x[row + 10] = Math.sqrt(windowMean(prefixSq, t, 60))
  }
  return { y, x }
}
