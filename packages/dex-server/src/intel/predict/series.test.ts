import { describe, expect, it } from 'vitest'
import { buildFeatures, FEATURE_COUNT, FEATURE_NAMES } from './features.js'
import { toGrid } from './series.js'

describe('pool series', () => {
  it('lays minutes on a gap-free grid, carrying price and reserve forward with zero flow', () => {
    const series = toGrid('0xpool', [
      { minute: 100, close: 2, reserve0: 1000, buy0: 5, sell0: 1, trades: 2 },
      { minute: 103, close: 4, reserve0: 900, buy0: 0, sell0: 3, trades: 1 },
    ])
    expect(series.start).toBe(6000)
    expect(
      Array.from(series.logPrice)
        .map(Math.exp)
        .map((v) => Number(v.toFixed(6))),
    ).toEqual([2, 2, 2, 4])
    expect(Array.from(series.reserve0)).toEqual([1000, 1000, 1000, 900])
    expect(Array.from(series.buy0)).toEqual([5, 0, 0, 0])
    expect(Array.from(series.trades)).toEqual([2, 0, 0, 1])
  })

  it('builds trailing features: returns and order-flow imbalance of each minute', () => {
    const series = toGrid('0xpool', [
      { minute: 0, close: 1, reserve0: 1000, buy0: 3, sell0: 1, trades: 1 },
      { minute: 1, close: Math.E, reserve0: 1000, buy0: 0, sell0: 2, trades: 1 },
    ])
    const { x } = buildFeatures(series)
    const at = (t: number, name: (typeof FEATURE_NAMES)[number]) =>
      x[t * FEATURE_COUNT + FEATURE_NAMES.indexOf(name)]
    expect(at(1, 'return_1m')).toBeCloseTo(1, 10)
    expect(at(0, 'order_flow_imbalance_1m')).toBeCloseTo(0.5, 10)
    expect(at(1, 'order_flow_imbalance_1m')).toBeCloseTo(-1, 10)
    expect(at(1, 'order_flow_imbalance_15m')).toBeCloseTo(0, 10)
  })
})
