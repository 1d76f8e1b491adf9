import { gaussian, seededRandom } from '../../simulator/random.js'
import type { PoolSeries } from './series.js'

/**
 * Synthetic 1-minute pool histories for tests: a pure random walk (nothing to predict) or a
 * mean-reverting log price (AR(1) with coefficient `keep`), with random order flow that carries
 * no information.
 */
export function syntheticSeries(options: {
  minutes: number
  seed: number
  kind: 'random-walk' | 'mean-reverting'
  /** Per-minute log-price shock. */
  sigma?: number
  /** AR(1) coefficient of the mean-reverting kind. */
  keep?: number
}): PoolSeries {
  const random = seededRandom(options.seed)
  const sigma = options.sigma ?? 0.002
  const keep = options.keep ?? 0.5
  const n = options.minutes
  const series: PoolSeries = {
    pool: '0x00000000000000000000000000000000000000aa',
    start: 1_700_000_000 - (1_700_000_000 % 60),
    logPrice: new Float64Array(n),
    buy0: new Float64Array(n),
    sell0: new Float64Array(n),
    trades: new Float64Array(n),
    reserve0: new Float64Array(n),
  }
  const mean = Math.log(2000)
  let y = mean
  for (let t = 0; t < n; t++) {
    y =
      options.kind === 'random-walk'
        ? y + sigma * gaussian(random)
        : mean + (y - mean) * keep + sigma * gaussian(random)
    series.logPrice[t] = y
    series.buy0[t] = random() * 1e18
    series.sell0[t] = random() * 1e18
    series.trades[t] = 1 + Math.floor(random() * 5)
    series.reserve0[t] = 1e21 * (1 + 0.01 * gaussian(random))
  }
  return series
}
