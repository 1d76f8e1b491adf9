import { describe, expect, it } from 'vitest'
import { dmCritical } from './backtest.js'
import { dieboldMariano, normalQuantile, quality, studentQuantile, wilson } from './metrics.js'

describe('forecast statistics', () => {
  it('quantiles match the printed tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5)
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5)
    expect(studentQuantile(0.975, 10)).toBeCloseTo(2.228, 2)
    expect(studentQuantile(0.95, 30)).toBeCloseTo(1.697, 2)
  })

  it('demands more evidence at long horizons, where errors overlap', () => {
    expect(dmCritical(720, 1)).toBeCloseTo(2.13, 1)
    expect(dmCritical(1200, 60)).toBeGreaterThan(2.4)
  })

  it("scores Theil's U against naive, direction with a Wilson interval, and coverage", () => {
    const points = [
      { origin: 0, forecast: 0.5, outcome: 1, interval95: [0, 2] as [number, number] },
      { origin: 0, forecast: -0.5, outcome: -1, interval95: [-0.8, 0] as [number, number] },
      { origin: 0, forecast: 0.5, outcome: -1 },
    ]
    const q = quality(points, 1)
    expect(q.theilU).toBeCloseTo(Math.sqrt((0.25 + 0.25 + 2.25) / 3), 6)
    expect(q.directionalAccuracy?.value).toBeCloseTo(2 / 3, 6)
    expect(q.directionalAccuracy?.ci95).toEqual(wilson(2 / 3, 3))
    expect(q.coverage95).toBe(0.5)
    expect(q.coverage80).toBeNull()
  })

  it('Diebold–Mariano is negative when the first model has lower loss', () => {
    const better = Array.from({ length: 200 }, (_, i) => 1 + (i % 3) * 0.1)
    const worse = better.map((v, i) => v + 0.5 + (i % 5) * 0.05)
    expect(dieboldMariano(better, worse, 1)).toBeLessThan(-5)
    expect(dieboldMariano(worse, better, 1)).toBeGreaterThan(5)
  })
})
